package io.drover.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.bench.cluster.ProcessCluster;
import io.drover.cli.demo.Directories;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import io.drover.sdk.TaskStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Placement with real processes: a coordinator and three agent processes with different labels,
 * jobs submitted with {@code drover submit --constraint} (a CLI process) and the SDK. A constrained
 * job runs only where it may; a job no agent can take says why in {@code drover status}, its JSON,
 * and the SDK's status, and runs once an agent that fits joins.
 */
class PlacementIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(180);

    private Path dir;
    private TestingServer zk;
    private ProcessCluster cluster;

    private record Run(int code, String out) {
    }

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("drover-placement-it-");
        zk = new TestingServer(true);
        cluster = new ProcessCluster(zk.getConnectString(), dir, "5s").startCoordinators(1);
        String at = cluster.endpoints();
        cluster.startAgent("gpu-a", List.of(), at, 2, "--label", "gpu=a100", "--label", "site=a");
        cluster.startAgent("plain-b", List.of(), at, 2, "--label", "site=b");
        cluster.startAgent("edge-gpu", List.of(), at, 2, "--label", "gpu=h100", "--label", "site=edge-3");
    }

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            for (var p : cluster.coordinators()) { // for a failure's diagnosis: the log's last lines
                List<String> lines = Files.exists(p.log()) ? Files.readAllLines(p.log()) : List.of();
                System.out.println("--- " + p.name() + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
            cluster.close();
        }
        if (zk != null) {
            zk.close();
        }
        Directories.deleteTree(dir);
    }

    /** A client once the leader leads and the three agents registered (processes start slowly on a busy machine). */
    private DroverClient client() {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> cluster.leader().isPresent());
        DroverClient client = DroverClient.builder().endpoints(cluster.endpoints()).credentials(cluster.credentials())
                .retryDeadline(Duration.ofSeconds(60)).build();
        await().atMost(WAIT).ignoreExceptions().until(() -> client.agents().size() == 3);
        return client;
    }

    /** Runs {@code drover args...} in a new JVM, as a user does; its exit code and stdout. */
    private Run drover(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.drover.cli.DroverCli"));
        cmd.addAll(List.of(args));
        cmd.add("--coordinators=" + cluster.endpoints());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(cluster.cliEnvironment());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("drover " + String.join(" ", args) + " did not exit");
        }
        return new Run(p.exitValue(), out);
    }

    @Test
    void aConstrainedJobRunsOnlyWhereAllowedAndAnImpossibleOneSaysWhy() throws Exception {
        try (DroverClient client = client()) {

            Run submit = drover("submit", "--command", "true", "--shards", "8", "--name", "gpus-not-edge",
                    "--constraint", "gpu in (a100,h100)", "--constraint", "site != edge-3");
            assertThat(submit.code()).as(submit.out()).isZero();
            String constrained = submit.out().strip(); // submit prints the job id alone
            JobHandle job = client.job(constrained);
            assertThat(job.await(WAIT).state()).isEqualTo(JobState.SUCCEEDED);
            Set<String> ranOn = job.status(true).tasks().stream().map(t -> t.agentId().orElse("?")).collect(Collectors.toSet());
            assertThat(ranOn).as("only gpu-a has a gpu outside site edge-3").containsExactly("gpu-a");
            assertThat(job.status(false).placement().constraints())
                    .containsExactly("gpu in (a100,h100)", "site != edge-3");

            Run bad = drover("submit", "--command", "true", "--constraint", "gpu in a100");
            assertThat(bad.code()).isEqualTo(2);

            JobHandle impossible = client.submit(JobSpec.process(List.of("true")).name("needs-ssd").shards(2)
                    .constraint("ssd exists").constraint("site in (a,b)").build());
            await().atMost(WAIT).until(() -> impossible.status(false).placement().waiting().isPresent());
            JobStatus s = impossible.status(false);
            assertThat(s.state()).isEqualTo(JobState.RUNNING);
            assertThat(s.placement().waiting().orElseThrow())
                    .contains("3 of 3 agents fail ssd exists").contains("1 of 3 agents fail site in (a,b)");
            Run status = drover("status", impossible.jobId());
            assertThat(status.code()).isZero();
            assertThat(status.out()).contains("waiting    no agent can run its tasks: 3 of 3 agents fail ssd exists");
            Run json = drover("status", impossible.jobId(), "--output", "json");
            assertThat(json.out()).contains("\"waiting\"").contains("3 of 3 agents fail ssd exists")
                    .contains("\"constraints\"");

            cluster.startAgent("ssd-b", List.of(), cluster.endpoints(), 2, "--label", "ssd=nvme", "--label", "site=b");
            assertThat(impossible.await(WAIT).state()).as("it runs once an agent that fits joins").isEqualTo(JobState.SUCCEEDED);
            assertThat(impossible.status(true).tasks()).extracting(t -> t.agentId().orElse("?")).containsOnly("ssd-b");
            assertThat(impossible.status(false).placement().waiting()).isEmpty();
        }
    }

    @Test
    void aSpreadJobRunsOnEverySite() throws Exception {
        try (DroverClient client = client()) {
            JobHandle job = client.submit(JobSpec.process(List.of("/bin/sh", "-c", "sleep 1")).name("spread").shards(6)
                    .spreadAcross("site").build());
            assertThat(job.await(WAIT).state()).isEqualTo(JobState.SUCCEEDED);
            List<String> agents = job.status(true).tasks().stream().map(TaskStatus::agentId)
                    .map(a -> a.orElse("?")).toList();
            assertThat(Set.copyOf(agents)).as("six one-second tasks over three sites of two slots each: %s", agents)
                    .containsExactlyInAnyOrder("gpu-a", "plain-b", "edge-gpu");
            assertThat(job.status(false).placement().spreadLabel()).contains("site");
        }
    }
}
