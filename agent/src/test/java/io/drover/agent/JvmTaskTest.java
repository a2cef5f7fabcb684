package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.testing.AgentHarness;
import io.drover.agent.testing.TestJars;
import io.drover.agent.testjobs.BlockingJob;
import io.drover.agent.testjobs.FailingJob;
import io.drover.agent.testjobs.HugeResultJob;
import io.drover.agent.testjobs.NoDefaultConstructorJob;
import io.drover.agent.testjobs.NotAJob;
import io.drover.agent.testjobs.ProbeJob;
import io.drover.agent.testjobs.SquareJob;
import io.drover.sdk.Codecs;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.TaskResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JVM jobs end to end: loopback Thrift coordinator, artifact download, isolated loading, outcomes. */
class JvmTaskTest {
    private static final String AGENT = AgentHarness.AGENT_ID;

    @TempDir
    Path workDir;
    private AgentHarness h;
    private String jar;

    @BeforeEach
    void start() throws InterruptedException {
        h = AgentHarness.start(workDir, 2);
        jar = h.coordinator.putArtifact(TestJars.ofPackage(SquareJob.class));
    }

    @AfterEach
    void stop() throws InterruptedException {
        h.close();
    }

    @Test
    void shardResultsAreReportedAndAcknowledged() {
        h.coordinator.addJvmJob("squares", jar, SquareJob.class.getName(), 4, 0, List.of("100"));
        List<Long> attempts = LongStream.range(0, 4).mapToObj(i -> h.coordinator.assign(AGENT, "squares", (int) i, null)).toList();

        List<Long> values = attempts.stream().map(h::awaitResult)
                .peek(r -> assertThat(r.getOutcome()).as(r.getError()).isEqualTo(Outcome.SUCCEEDED))
                .map(r -> Codecs.int64().decode(r.getValue())).toList();

        assertThat(values).containsExactly(100L, 101L, 104L, 109L);
        await().atMost(AgentHarness.WAIT).until(() -> h.agent.pendingResults() == 0);
        assertThat(attempts).allSatisfy(a -> assertThat(h.coordinator.timesReported(a)).isEqualTo(1));
        assertThat(h.agent.taskCounts().succeeded()).isEqualTo(4);
        assertThat(h.coordinator.fetches(jar)).as("one download for all shards").isEqualTo(1);
    }

    @Test
    void jobClassIsLoadedInIsolationSeeingOnlyTheJdkAndThePublicSdk() {
        h.coordinator.addJvmJob("probe", jar, ProbeJob.class.getName(), 1, 0, List.of());

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "probe", 0, "p0"));

        assertThat(r.getOutcome()).as(r.getError()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(new String(r.getValue(), StandardCharsets.UTF_8))
                .isEqualTo("drover-job-" + jar.substring(0, 12) + "|false|false|true|p0");
        assertThat(workDir.resolve("artifacts").resolve(jar + ".jar")).exists();
    }

    @Test
    void reduceTaskDecodesShardResultsInOrderAndEncodesTheSum() {
        h.coordinator.addJvmJob("squares", jar, SquareJob.class.getName(), 3, 0, List.of());
        List<byte[]> inputs = Stream.of(1L, 4L, 9L).map(Codecs.int64()::encode).toList();

        TaskResult r = h.awaitResult(h.coordinator.assignReduce(AGENT, "squares", 3, inputs));

        assertThat(r.getOutcome()).as(r.getError()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(Codecs.int64().decode(r.getValue())).isEqualTo(14L);
        assertThat(r.getTask()).isEqualTo(3);
    }

    @Test
    void shardThatThrowsFailsWithTheExceptionText() {
        h.coordinator.addJvmJob("failing", jar, FailingJob.class.getName(), 2, 0, List.of());

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "failing", 1, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.getError()).startsWith("java.lang.IllegalStateException: shard 1 exploded")
                .contains(FailingJob.class.getName() + ".runShard(FailingJob.java:")
                .doesNotContain("io.drover.agent.exec");
        assertThat(h.agent.taskCounts().failed()).isEqualTo(1);
    }

    @Test
    void aResultOverTheInlineLimitIsStoredOnTheCoordinatorAndReportedByHash() {
        h.coordinator.addJvmJob("huge", jar, HugeResultJob.class.getName(), 1, 0, List.of());

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "huge", 0, null));

        assertThat(r.getOutcome()).as(r.getError()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.isSetValue()).isFalse();
        assertThat(r.getResultBlob().getSize()).isEqualTo(100_000);
        assertThat(h.coordinator.resultBlob(r.getResultBlob().getSha256())).hasValueSatisfying(b -> assertThat(b).hasSize(100_000));
    }

    @Test
    void unknownEntryClassIsRejectedNamingClassAndArtifact() {
        h.coordinator.addJvmJob("typo", jar, "io.drover.agent.testjobs.NoSuchJob", 1, 0, List.of());

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "typo", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(r.getError()).contains("io.drover.agent.testjobs.NoSuchJob", jar, "not found");
    }

    @Test
    void entryClassThatIsNotAShardedJobIsRejected() {
        h.coordinator.addJvmJob("wrong", jar, NotAJob.class.getName(), 1, 0, List.of());

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "wrong", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(r.getError()).contains(NotAJob.class.getName(), "does not implement io.drover.sdk.ShardedJob");
    }

    @Test
    void entryClassWithoutNoArgConstructorIsRejected() {
        h.coordinator.addJvmJob("ctor", jar, NoDefaultConstructorJob.class.getName(), 1, 0, List.of());

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "ctor", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(r.getError()).contains(NoDefaultConstructorJob.class.getName(), "no public no-argument constructor");
    }

    @Test
    void unacknowledgedResultIsSentAgainUntilAcknowledged() {
        h.coordinator.addJvmJob("squares", jar, SquareJob.class.getName(), 1, 0, List.of());
        h.coordinator.withholdAcks(1);

        long attempt = h.coordinator.assign(AGENT, "squares", 0, null);

        await().atMost(AgentHarness.WAIT).until(() -> h.coordinator.timesReported(attempt) == 2 && h.agent.pendingResults() == 0);
        assertThat(h.coordinator.result(attempt).orElseThrow().getOutcome()).isEqualTo(Outcome.SUCCEEDED);
    }

    @Test
    void unknownJobIsRejected() {
        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "ghost", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(r.getError()).contains("ghost");
    }

    @Test
    void artifactWhoseBytesDoNotMatchItsHashIsRejectedAndNotCached() throws Exception {
        String claimed = "ab".repeat(32);
        h.coordinator.putArtifactUnder(claimed, TestJars.ofPackage(SquareJob.class));
        h.coordinator.addJvmJob("corrupt", claimed, SquareJob.class.getName(), 1, 0, List.of());

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "corrupt", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(r.getError()).contains("artifact " + claimed + " is corrupt");
        try (Stream<Path> files = Files.list(workDir.resolve("artifacts"))) {
            assertThat(files).as("neither the jar nor a partial download stays").isEmpty();
        }
    }

    @Test
    void brokenArtifactDownloadResumesFromTheLastVerifiedChunkOnTheNextAttempt() throws Exception {
        int chunk = io.drover.protocol.WireLimits.ARTIFACT_CHUNK_BYTES;
        String big = h.coordinator.putArtifact(TestJars.ofPackage(SquareJob.class, 3 * chunk + chunk / 2));
        h.coordinator.addJvmJob("big", big, SquareJob.class.getName(), 1, 0, List.of("7"));
        h.coordinator.failFetchOnceAfter(big, 2);

        TaskResult first = h.awaitResult(h.coordinator.assign(AGENT, "big", 0, null));
        assertThat(first.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(h.coordinator.fetches(big)).isEqualTo(2);
        assertThat(Files.size(workDir.resolve("artifacts/" + big + ".part"))).isEqualTo(2L * chunk);

        TaskResult second = h.awaitResult(h.coordinator.assign(AGENT, "big", 0, null));

        assertThat(second.getOutcome()).as(second.getError()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(Codecs.int64().decode(second.getValue())).isEqualTo(7L);
        assertThat(h.coordinator.fetches(big)).as("4 chunks in all: the second attempt fetched only the last 2").isEqualTo(4);
        assertThat(h.coordinator.fetchCalls()).as("4 served + 1 failed").isEqualTo(5);
        assertThat(workDir.resolve("artifacts/" + big + ".part")).doesNotExist();
        assertThat(workDir.resolve("artifacts/" + big + ".part.len")).doesNotExist();
    }

    @Test
    void cancelStopsARunningTask() {
        h.coordinator.addJvmJob("blocking", jar, BlockingJob.class.getName(), 1, 0, List.of());
        long attempt = h.coordinator.assign(AGENT, "blocking", 0, null);
        await().atMost(AgentHarness.WAIT).until(() -> h.agent.taskCounts().started() == 1);

        h.coordinator.cancel(AGENT, attempt);

        TaskResult r = h.awaitResult(attempt);
        assertThat(r.getOutcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(h.agent.taskCounts().cancelled()).isEqualTo(1);
        await().atMost(AgentHarness.WAIT).until(() -> h.agent.runningTasks() == 0);
    }

    @Test
    void taskExceedingTheJobTimeoutTimesOut() {
        h.coordinator.addJvmJob("slow", jar, BlockingJob.class.getName(), 1, 300, List.of());

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "slow", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(r.getError()).contains("300 ms");
        assertThat(r.getRunMillis()).isGreaterThanOrEqualTo(300);
    }
}
