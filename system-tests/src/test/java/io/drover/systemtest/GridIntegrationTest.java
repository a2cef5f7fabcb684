package io.drover.systemtest;

import io.drover.cli.demo.Directories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.sdk.Codecs;
import io.drover.sdk.DroverClient;
import io.drover.sdk.InvalidJobException;
import io.drover.sdk.Isolation;
import io.drover.sdk.JobFailedException;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import io.drover.sdk.StoredResult;
import io.drover.sdk.Workflow;
import io.drover.protocol.Sha256;
import java.io.ByteArrayOutputStream;
import io.drover.protocol.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole path on loopback: real ZooKeeper (Curator's test server), two real coordinators
 * (leader and standby), three real agents, the SDK client, and the example job jar loaded by the
 * agents from the uploaded artifact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GridIntegrationTest {
    static final Path JOBS = Path.of("target", "jobs", "drover-job-examples.jar");
    static final Duration WAIT = Duration.ofSeconds(90);

    private Path work;
    private TestingServer zk;
    private CoordinatorServer leader;
    private CoordinatorServer standby;
    private final List<Agent> agents = new ArrayList<>();
    private DroverClient client;

    @BeforeAll
    void startCluster() throws Exception {
        assertThat(JOBS).as("example job jar copied by the build").exists();
        work = Files.createTempDirectory("drover-grid-it-");
        zk = new TestingServer(true);
        leader = coordinator();
        assertThat(leader.awaitLeadership(Duration.ofSeconds(30))).isTrue();
        standby = coordinator();
        for (int i = 1; i <= 3; i++) {
            Agent agent = new Agent(new AgentConfig("it-agent-" + i, "127.0.0.1",
                    List.of(Endpoint.parse(leader.endpoint()), Endpoint.parse(standby.endpoint())), 4, Map.of(),
                    work.resolve("agent-" + i), Duration.ofSeconds(5), AgentConfig.DEFAULT_REPORT_BATCH_WINDOW));
            agent.start();
            agents.add(agent);
        }
        client = DroverClient.builder().endpoints(List.of(standby.endpoint(), leader.endpoint())).build();
        await().atMost(WAIT).until(() -> client.agents().size() == 3);
    }

    private CoordinatorServer coordinator() {
        return new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0),
                Clock.systemUTC()).start();
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (client != null) {
            client.close();
        }
        Collections.reverse(agents);
        agents.forEach(Agent::close);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains("-Ddrover.agent=it-agent-")).orElse(false))
                .toList()).as("worker JVMs left behind by closed agents").isEmpty());
        for (CoordinatorServer c : new CoordinatorServer[] {standby, leader}) {
            if (c != null) {
                c.close();
            }
        }
        if (zk != null) {
            zk.close();
        }
        Directories.deleteTree(work);
    }

    @Test
    void twoHundredShardsWithReduceGiveTheRightAnswer() {
        JobHandle job = client.submit(JobSpec.jvm(JOBS, "io.drover.examples.PrimeCount")
                .name("primes").shards(200).arguments("2000000").reduce(true).build());
        assertThat(job.result(WAIT, Codecs.int64())).isEqualTo(148_933L);
        JobStatus status = job.status(true);
        assertThat(status.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(status.succeeded()).isEqualTo(201);
        assertThat(status.tasks()).allSatisfy(t -> assertThat(t.attempts()).isEqualTo(1));
        assertThat(status.resultCodec()).as("the codec PrimeCount declared, reported by the agents").contains("int64");
        assertThat(job.result(WAIT)).as("decoded with it by default").isEqualTo(148_933L);
        assertThat(client.agents()).as("work spread over every agent").allSatisfy(a -> assertThat(a.completedTasks()).isPositive());
    }

    /**
     * Results over the inline limit (64 KiB): each shard's 1.5 MiB result is stored on the coordinator as a
     * blob, the reduce task fetches them, its 4.5 MiB result is a blob too, and the client reads it in
     * chunks; after a leader change the new leader serves the same result from ZooKeeper.
     */
    @Test
    void resultsOverTheInlineLimitTravelAsBlobsThroughReduceAndSurviveALeaderChange() {
        int perShard = 1536 * 1024;
        JobHandle job = client.submit(JobSpec.jvm(JOBS, "io.drover.examples.BigResult").name("big-result")
                .shards(3).arguments(Integer.toString(perShard)).reduce(true).build());
        byte[] expected = new byte[3 * perShard];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(bigResultShard(i, perShard), 0, expected, i * perShard, perShard);
        }
        assertThat(job.result(WAIT, Codecs.bytes())).isEqualTo(expected);
        assertThat(job.storedResult()).hasValue(new StoredResult(Sha256.hex(expected), expected.length));

        CoordinatorServer old = leader.isLeader() ? leader : standby;
        CoordinatorServer next = old == leader ? standby : leader;
        old.close();
        assertThat(next.awaitLeadership(Duration.ofSeconds(30))).isTrue();
        leader = next;
        standby = coordinator(); // a standby again, for the tests that follow
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        assertThat(job.writeResult(streamed)).isEqualTo(expected.length);
        assertThat(streamed.toByteArray()).isEqualTo(expected);
    }

    /**
     * A workflow whose dependants read its upstream results: an inline one (PrimeCount's count) and a blob
     * (BigResult's 300 KiB), through ShardContext in a worker JVM and in the agent's JVM, and as a file
     * in DROVER_UPSTREAM_RESULTS by a process.
     */
    @Test
    void dependantsReadInlineAndBlobUpstreamResultsThroughTheSdkAndAsFiles() {
        int size = 300 * 1024;
        Workflow w = Workflow.builder()
                .job("primes", JobSpec.jvm(JOBS, "io.drover.examples.PrimeCount").name("primes").shards(4)
                        .arguments("100000").reduce(true).build())
                .job("big", JobSpec.jvm(JOBS, "io.drover.examples.BigResult").name("big").arguments(Integer.toString(size))
                        .build())
                .job("report", report("report").build())
                .job("report-in-agent", report("report-in-agent").isolation(Isolation.IN_AGENT).build())
                .job("digest", JobSpec.process(List.of("sh", "-c", "sha256sum \"$DROVER_UPSTREAM_RESULTS/big\" | cut -c1-64"))
                        .name("digest").dependsOn("big").build())
                .build();
        Map<String, JobHandle> jobs = client.submitWorkflow(w);

        String bigSha = Sha256.hex(bigResultShard(0, size));
        String expected = "primes\tSUCCEEDED\t8\t" + Sha256.hex(Codecs.int64().encode(9592L)) + "\n"
                + "big\tSUCCEEDED\t" + size + "\t" + bigSha + "\nsum of primes: 9592\n";
        assertThat(jobs.get("report").result(WAIT, Codecs.utf8())).isEqualTo(expected);
        assertThat(jobs.get("big").storedResult()).as("the upstream result is a blob")
                .hasValue(new StoredResult(bigSha, size));
        assertThat(jobs.get("report-in-agent").result(WAIT, Codecs.utf8())).isEqualTo(expected);
        assertThat(jobs.get("digest").result(WAIT, Codecs.utf8()).strip()).isEqualTo(bigSha);
    }

    private static JobSpec.Builder report(String name) {
        return JobSpec.jvm(JOBS, "io.drover.examples.UpstreamReport").name(name).arguments("primes")
                .dependsOn("primes").dependsOn("big");
    }

    /** io.drover.examples.BigResult's shard result (the job jar is not on the test's class path). */
    private static byte[] bigResultShard(int shard, int size) {
        byte[] out = new byte[size];
        java.util.SplittableRandom random = new java.util.SplittableRandom(shard);
        for (int i = 0; i < size; i += 8) {
            long v = random.nextLong();
            for (int b = 0; b < 8 && i + b < size; b++) {
                out[i + b] = (byte) (v >>> (8 * b));
            }
        }
        return out;
    }

    @Test
    void monteCarloPiThroughTheStandbyEndpointFollowsTheLeader() {
        try (DroverClient viaStandby = DroverClient.connect(standby.endpoint())) {
            JobHandle job = viaStandby.submit(JobSpec.jvm(JOBS, "io.drover.examples.MonteCarloPi")
                    .name("pi").shards(16).arguments("200000").reduce(true).build());
            long[] hits = job.result(WAIT, Codecs.int64Array());
            assertThat(4.0 * hits[0] / hits[1]).isCloseTo(Math.PI, org.assertj.core.data.Offset.offset(0.01));
        }
    }

    @Test
    void shardResultsWithoutReduceComeBackInShardOrder() {
        JobHandle job = client.submit(JobSpec.jvm(JOBS, "io.drover.examples.ParameterSweep")
                .name("sweep").shardParameters(List.of("0.5", "1.0", "1.5")).build());
        List<String> results = job.shardResults(WAIT, Codecs.utf8());
        assertThat(results).hasSize(3);
        assertThat(results.get(1)).contains("x=1.0");
    }

    @Test
    void unknownEntryClassIsRefusedAtSubmitOrFailsTheJobNamingTheClass() {
        assertThatThrownBy(() -> client.submit(JobSpec.jvm(JOBS, "io.drover.examples.NoSuchJob").build()))
                .isInstanceOf(InvalidJobException.class)
                .hasMessage("no class io.drover.examples.NoSuchJob in " + JOBS.getFileName());
        // Past the SDK's check (an artifact uploaded before), the agent names the class when the job fails.
        String sha = client.uploadArtifact(JOBS);
        JobHandle job = client.submit(JobSpec.jvmArtifact(sha, "io.drover.examples.NoSuchJob").name("bad-class").shards(2).build());
        assertThatThrownBy(() -> job.result(WAIT, Codecs.utf8())).isInstanceOf(JobFailedException.class)
                .hasMessageContaining("io.drover.examples.NoSuchJob");
        assertThatGoodJobStillRuns();
    }

    @Test
    void aThrowingShardIsRetriedThenFailsTheJobWithItsMessage() {
        JobHandle job = client.submit(JobSpec.jvm(JOBS, "io.drover.examples.FailingShard").name("throws")
                .shards(4).arguments("2").maxAttempts(2).build());
        assertThatThrownBy(() -> job.result(WAIT, Codecs.utf8())).isInstanceOf(JobFailedException.class)
                .hasMessageContaining("task 2 failed after 2 attempts");
        assertThatGoodJobStillRuns();
    }

    @Test
    void badSpecsGetClearErrorsAndNothingAcceptedIsLost() {
        assertThatThrownBy(() -> JobSpec.jvm(JOBS, "x.Y").shards(0).build())
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("shards must be 1..");
        assertThatThrownBy(() -> client.submit(JobSpec.jvmArtifact("0".repeat(64), "x.Y").build()))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("has not been uploaded");
        List<String> huge = Collections.nCopies(100, "p".repeat(4000));
        assertThatThrownBy(() -> client.submit(JobSpec.jvm(JOBS, "io.drover.examples.NoOp").shardParameters(huge).build()))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("keep large inputs in the job's own storage");
        assertThatGoodJobStillRuns();
    }

    @Test
    void resubmittingWithTheSameIdempotencyKeyGivesTheSameJob() {
        JobSpec spec = JobSpec.jvm(JOBS, "io.drover.examples.NoOp").name("idem").shards(3).idempotencyKey("same-key").build();
        assertThat(client.submit(spec).jobId()).isEqualTo(client.submit(spec).jobId());
    }

    /**
     * Each way a job can hurt its JVM, in real worker JVMs under the real coordinator: the attempt
     * fails (or times out), the retry policy runs the task again, the job succeeds, and every agent
     * is still there to run the next job.
     */
    @ParameterizedTest
    @ValueSource(strings = {"exit", "halt", "oom", "spin", "crash"})
    void aMisbehavingTaskFailsOnlyItsAttemptAndTheRetryRunsInAFreshWorker(String mode) throws Exception {
        Path markers = Files.createTempDirectory(work, "misbehave-" + mode);
        JobSpec.Builder spec = JobSpec.jvm(JOBS, "io.drover.examples.Misbehave").name("misbehave-" + mode).shards(2)
                .arguments(mode, markers.toString()).maxAttempts(2);
        if (mode.equals("oom")) {
            spec.memoryMb(64);
        }
        if (mode.equals("spin")) {
            spec.taskTimeout(Duration.ofSeconds(2));
        }
        JobHandle job = client.submit(spec.build());

        assertThat(job.shardResults(WAIT, Codecs.int64())).containsExactly(0L, 1L);
        assertThat(job.status(true).tasks()).allSatisfy(t -> assertThat(t.attempts()).as("task " + t.task()).isEqualTo(2));
        assertThat(client.agents()).allSatisfy(a -> assertThat(a.state()).isEqualTo("ALIVE"));
        assertThatGoodJobStillRuns();
    }

    @Test
    void inAgentIsolationRunsTasksInTheAgentsJvmAndWorkerIsolationInAnother() {
        long here = ProcessHandle.current().pid(); // the agents of this test run in the test's JVM
        JobHandle inAgent = client.submit(JobSpec.jvm(JOBS, "io.drover.examples.Misbehave").name("in-agent").shards(3)
                .arguments("pid").isolation(Isolation.IN_AGENT).build());
        JobHandle inWorker = client.submit(JobSpec.jvm(JOBS, "io.drover.examples.Misbehave").name("in-worker").shards(3)
                .arguments("pid").build());

        assertThat(inAgent.shardResults(WAIT, Codecs.int64())).containsOnly(here);
        assertThat(inWorker.shardResults(WAIT, Codecs.int64())).doesNotContain(here);
    }

    @Test
    void aStragglerGetsABackupOnAnotherAgentAndTheFirstResultWins() throws Exception {
        Path markers = Files.createDirectories(work.resolve("straggler-markers"));
        // Ten 200 ms shards; shard 7's first run sleeps 300 x longer (60 s), a second run does not. In the
        // agents' JVM: a worker JVM's start on a busy machine would make the median, and so the wait, long.
        JobHandle job = client.submit(JobSpec.jvm(JOBS, "io.drover.examples.Straggler").name("straggler").shards(10)
                .arguments("200", "10", "300", markers.toString()).isolation(Isolation.IN_AGENT).build());
        JobStatus end = job.await(WAIT);
        assertThat(end.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(Duration.between(end.submittedAt(), end.finishedAt().orElseThrow()))
                .as("the backup's result came long before the 60 s original would have").isLessThan(Duration.ofSeconds(45));
        assertThat(end.backups()).contains(new io.drover.sdk.JobBackups(1, 1));
        io.drover.sdk.TaskStatus straggler = job.status(true).tasks().get(7);
        assertThat(straggler.backupWon()).isTrue();
        assertThat(straggler.attempts()).as("a backup is not a retry").isEqualTo(1);
        assertThat(job.shardResults(WAIT, Codecs.int64())).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    private void assertThatGoodJobStillRuns() {
        JobHandle ok = client.submit(JobSpec.jvm(JOBS, "io.drover.examples.NoOp").name("after").shards(10).build());
        assertThat(ok.await(WAIT).state()).isEqualTo(JobState.SUCCEEDED);
    }
}
