package io.drover.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import example.jobs.AbstractJob;
import example.jobs.Good;
import example.jobs.NoDefaultConstructor;
import example.jobs.NotAJob;
import io.drover.testkit.FakeClientService;
import io.drover.testkit.LoopbackServer;
import io.drover.testkit.TestJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submitting a local jar checks the entry class first (against a real jar built here, a fake
 * coordinator on loopback): a missing or unusable class is an {@link InvalidJobException} naming
 * the class, the jar and the problem, and nothing is uploaded or submitted.
 */
class JobJarCheckTest {
    @TempDir
    Path tmp;

    private final FakeClientService leader = FakeClientService.leader();
    private LoopbackServer server;
    private DroverClient client;
    private Path jar;

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.start(leader);
        client = DroverClient.builder().endpoints(server.endpoint()).clientName("test")
                .retryDeadline(Duration.ofSeconds(5)).build();
        jar = TestJars.write(tmp.resolve("job.jar"), Good.class, NotAJob.class, NoDefaultConstructor.class,
                AbstractJob.class, Class.forName("example.jobs.Hidden", false, Good.class.getClassLoader()));
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.close();
        server.close();
    }

    @Test
    void aGoodClassIsSubmittedWithoutRunningItsInitializer() {
        JobHandle job = client.submit(JobSpec.jvm(jar, "example.jobs.Good").build());

        assertThat(job.jobId()).isEqualTo("job-1");
        assertThat(leader.chunkOffsets()).isNotEmpty();
        assertThat(leader.submissions().get(0).getEntryClass()).isEqualTo("example.jobs.Good");
        assertThat(System.getProperty(Good.INITIALIZED)).as("loaded, never initialized").isNull();
    }

    @Test
    void aMissingClassIsRefusedWithTheClassOfTheSameSimpleName() {
        assertRefused("x.good", "no class x.good in job.jar; did you mean example.jobs.Good?");
        assertRefused("nope.Missing", "no class nope.Missing in job.jar");
    }

    @Test
    void aClassThatCannotBeAJobIsRefusedSayingWhy() {
        String sdk = ShardedJob.class.getName();
        assertRefused("example.jobs.NotAJob", "class example.jobs.NotAJob in job.jar does not implement " + sdk);
        assertRefused("example.jobs.AbstractJob", "class example.jobs.AbstractJob in job.jar is abstract");
        assertRefused("example.jobs.Hidden", "class example.jobs.Hidden in job.jar is not public");
        assertRefused("example.jobs.NoDefaultConstructor",
                "class example.jobs.NoDefaultConstructor in job.jar has no public no-argument constructor");
    }

    @Test
    void aFileThatIsNoJarIsRefused() throws Exception {
        Path notAJar = Files.write(tmp.resolve("job.jar"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> client.submit(JobSpec.jvm(notAJar, "x.Y").build()))
                .isInstanceOf(InvalidJobException.class).hasMessageStartingWith("job.jar is not a readable jar");
        assertThat(leader.chunkOffsets()).isEmpty();
    }

    @Test
    void schedulesAreCheckedTheSameWay() {
        JobSpec.Builder job = JobSpec.jvm(jar, "example.jobs.Missing");
        assertThatThrownBy(() -> client.addSchedule(ScheduleSpec.builder("nightly", "0 0 2 * * ?", job.build()).build()))
                .isInstanceOf(InvalidJobException.class).hasMessage("no class example.jobs.Missing in job.jar");
        assertThat(leader.chunkOffsets()).isEmpty();
    }

    private void assertRefused(String entryClass, String message) {
        assertThatThrownBy(() -> client.submit(JobSpec.jvm(jar, entryClass).build()))
                .isInstanceOf(InvalidJobException.class).hasMessage(message);
        assertThat(leader.chunkOffsets()).as("nothing uploaded").isEmpty();
        assertThat(leader.submissions()).as("nothing submitted").isEmpty();
        assertThat(System.getProperty(Good.INITIALIZED)).as("job code never initialized on the client").isNull();
    }
}
