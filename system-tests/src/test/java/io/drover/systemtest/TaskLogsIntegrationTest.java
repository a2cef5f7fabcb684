package io.drover.systemtest;

import io.drover.cli.demo.Directories;
import io.drover.cli.DroverCli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.agent.AgentLimits;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.sdk.DroverClient;
import io.drover.sdk.InvalidJobException;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.LogStream;
import io.drover.sdk.TaskLog;
import io.drover.protocol.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * Task output from the agents through the coordinator: real ZooKeeper (Curator's test server), a
 * real coordinator, two real agents over Thrift, process tasks, the SDK and the {@code drover logs}
 * command. Agents park their polls for 20 s, so a read answered in a few seconds shows the
 * coordinator wakes the agent's poll instead of waiting for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskLogsIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration POLL_WAIT = Duration.ofSeconds(20);
    private static final long CAP = 2000;

    private Path work;
    private TestingServer zk;
    private CoordinatorServer coordinator;
    private final List<Agent> agents = new ArrayList<>();
    private DroverClient client;

    @BeforeAll
    void startCluster() throws Exception {
        work = Files.createTempDirectory("drover-logs-it-");
        zk = new TestingServer(true);
        coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0),
                Clock.systemUTC()).start();
        assertThat(coordinator.awaitLeadership(Duration.ofSeconds(30))).isTrue();
        for (int i = 1; i <= 2; i++) {
            Agent agent = new Agent(new AgentConfig("logs-agent-" + i, "127.0.0.1", List.of(Endpoint.parse(coordinator.endpoint())),
                    4, Map.of(), work.resolve("agent-" + i), POLL_WAIT, AgentConfig.DEFAULT_REPORT_BATCH_WINDOW, null,
                    AgentLimits.DEFAULTS.withLogCapBytes(CAP)));
            agent.start();
            agents.add(agent);
        }
        client = DroverClient.connect(coordinator.endpoint());
        await().atMost(WAIT).until(() -> client.agents().size() == 2);
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (client != null) {
            client.close();
        }
        Collections.reverse(agents);
        agents.forEach(Agent::close);
        if (coordinator != null) {
            coordinator.close();
        }
        if (zk != null) {
            zk.close();
        }
        Directories.deleteTree(work);
    }

    private JobHandle run(String name, int shards, boolean reduce, String script) {
        return client.submit(JobSpec.process(List.of("/bin/sh", "-c", script)).name(name).shards(shards).reduce(reduce)
                .build());
    }

    @Test
    void logsReturnWhatEachShardPrintedOnStdoutAndStderrPromptly() {
        JobHandle job = run("lines", 2, false,
                "for i in 1 2 3; do echo \"shard $DROVER_SHARD_INDEX line $i\"; done; echo \"oops $DROVER_SHARD_INDEX\" >&2");
        assertThat(job.await(WAIT).state()).isEqualTo(JobState.SUCCEEDED);

        long started = System.nanoTime();
        TaskLog out = client.logs(job.jobId(), 1, LogStream.STDOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("logs() of a finished task answered in %d ms; the agents park their polls for %d s%n",
                took.toMillis(), POLL_WAIT.toSeconds());

        assertThat(out.text()).isEqualTo("shard 1 line 1\nshard 1 line 2\nshard 1 line 3\n");
        assertThat(out.complete()).isTrue();
        assertThat(out.truncated()).isFalse();
        assertThat(out.attemptId()).isPositive();
        assertThat(took).as("the agent's parked poll was woken, not waited out").isLessThan(POLL_WAIT.dividedBy(4));
        assertThat(client.logs(job.jobId(), 0, LogStream.STDERR).text()).isEqualTo("oops 0\n");
        assertThat(client.logs(job.jobId(), 0, LogStream.STDOUT).text()).startsWith("shard 0 line 1\n");
    }

    @Test
    void outputBeyondTheCapIsCutAndSaysSo() {
        JobHandle job = run("loud", 1, false, "head -c 50000 /dev/zero | tr '\\0' a");
        assertThat(job.await(WAIT).state()).isEqualTo(JobState.SUCCEEDED);

        TaskLog out = client.logs(job.jobId(), 0, LogStream.STDOUT);

        assertThat(out.data()).hasSize((int) CAP);
        assertThat(out.text()).matches("a{" + CAP + "}");
        assertThat(out.truncated()).isTrue();
        Cli cli = cli("logs", job.jobId());
        assertThat(cli.code).isZero();
        assertThat(cli.out).hasSize((int) CAP);
        assertThat(cli.err).contains("cut off on the agent at its --log-cap");
    }

    @Test
    void followStreamsARunningTasksLinesAndEndsWhenItEnds() {
        JobHandle job = run("slow", 1, false, "for i in 1 2 3 4 5 6 7 8; do echo \"tick $i\"; sleep 0.4; done");
        List<String> pieces = new ArrayList<>();
        AtomicReference<JobState> stateAtFirstBytes = new AtomicReference<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (DroverClient watcher = DroverClient.connect(coordinator.endpoint())) {
            boolean truncated = client.followLogs(job.jobId(), 0, LogStream.STDOUT, bytes -> {
                stateAtFirstBytes.compareAndSet(null, watcher.job(job.jobId()).status().state());
                pieces.add(new String(bytes, StandardCharsets.UTF_8));
                all.writeBytes(bytes);
            });
            assertThat(truncated).isFalse();
        }

        assertThat(stateAtFirstBytes.get()).as("output arrived while the task ran").isEqualTo(JobState.RUNNING);
        assertThat(pieces.size()).as("several pieces, as the lines were printed: " + pieces).isGreaterThan(2);
        assertThat(all.toString(StandardCharsets.UTF_8)).isEqualTo(
                "tick 1\ntick 2\ntick 3\ntick 4\ntick 5\ntick 6\ntick 7\ntick 8\n");
        assertThat(job.status().state()).as("follow returned once the task ended").isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void followGoesOnWithARetrysOutputAndLogsShowTheNewestAttempt() throws Exception {
        Path marks = Files.createDirectories(work.resolve("marks"));
        JobHandle job = client.submit(JobSpec.process(List.of("/bin/sh", "-c",
                        "if [ ! -e \"$MARKS/first\" ]; then touch \"$MARKS/first\"; echo first; sleep 2; exit 1; fi; echo second"))
                .name("retried").shards(1).maxAttempts(2).environment(Map.of("MARKS", marks.toString())).build());
        ByteArrayOutputStream all = new ByteArrayOutputStream();

        client.followLogs(job.jobId(), 0, LogStream.STDOUT, all::writeBytes);

        assertThat(all.toString(StandardCharsets.UTF_8)).isEqualTo("first\nsecond\n");
        assertThat(job.status(true).tasks().get(0).attempts()).isEqualTo(2);
        assertThat(client.logs(job.jobId(), 0, LogStream.STDOUT).text()).as("the newest attempt").isEqualTo("second\n");
    }

    @Test
    void theCliFollowsStderrAndReadsTheReduceStep() {
        JobHandle job = run("cli", 2, true, "if [ -n \"$DROVER_REDUCE_INPUTS\" ]; then echo reduced; "
                + "else sleep 0.5; echo \"err $DROVER_SHARD_INDEX\" >&2; fi");

        Cli follow = cli("logs", job.jobId(), "--shard", "1", "--stderr", "--follow");
        assertThat(follow.code).as(follow.err).isZero();
        assertThat(follow.out).isEqualTo("err 1\n");

        assertThat(job.await(WAIT).state()).isEqualTo(JobState.SUCCEEDED);
        Cli reduce = cli("logs", job.jobId(), "--reduce");
        assertThat(reduce.code).as(reduce.err).isZero();
        assertThat(reduce.out).isEqualTo("reduced\n");
    }

    /**
     * Process results over the inline limit (64 KiB) and the agents' 2000-byte log cap: each shard writes
     * 200 KiB to DROVER_RESULT_FILE, stored on the coordinator as a blob; the reduce gets them as files and
     * writes their concatenation, which the SDK streams back and {@code drover status} describes.
     */
    @Test
    void processResultFilesOverTheInlineLimitTravelAsBlobsThroughReduce() {
        int perShard = 200 * 1024;
        JobHandle job = run("result-file", 3, true, "if [ -n \"$DROVER_REDUCE_INPUTS\" ]; then cd \"$DROVER_REDUCE_INPUTS\";"
                + " cat 0 1 2 > \"$DROVER_RESULT_FILE\"; else echo \"shard $DROVER_SHARD_INDEX\";"
                + " yes \"line of shard $DROVER_SHARD_INDEX\" | head -c " + perShard + " > \"$DROVER_RESULT_FILE\"; fi");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            byte[] line = ("line of shard " + i + "\n").getBytes(StandardCharsets.UTF_8);
            for (int b = 0; b < perShard; b++) {
                expected.write(line[b % line.length]);
            }
        }

        assertThat(job.result(WAIT, io.drover.sdk.Codecs.bytes())).isEqualTo(expected.toByteArray());
        assertThat(job.storedResult()).hasValue(new io.drover.sdk.StoredResult(
                io.drover.protocol.Sha256.hex(expected.toByteArray()), 3L * perShard));
        assertThat(job.status(true).tasks()).allSatisfy(t -> assertThat(t.attempts()).isEqualTo(1));
        Cli status = cli("status", job.jobId());
        assertThat(status.code).as(status.err).isZero();
        assertThat(status.out).contains((3 * perShard) + " bytes (kept on the coordinator; --raw writes them)");
    }

    @Test
    void aTaskNotStartedYetHasNoOutputYet() {
        JobHandle job = client.submit(JobSpec.process(List.of("/bin/true")).name("waiting").shards(1)
                .requiredLabels(Map.of("gpu", "none-here")).build());
        try {
            TaskLog out = client.logs(job.jobId(), 0, LogStream.STDOUT);
            assertThat(out.data()).isEmpty();
            assertThat(out.attemptId()).isZero();
            assertThat(out.complete()).isFalse();
        } finally {
            job.cancel();
        }
    }

    @Test
    void badRequestsGetClearErrors() {
        assertThatThrownBy(() -> client.logs("no-such-job", 0, LogStream.STDOUT))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("unknown job no-such-job");
        JobHandle job = run("small", 2, false, "true");
        assertThatThrownBy(() -> client.logs(job.jobId(), 5, LogStream.STDOUT))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("has tasks 0..1").hasMessageContaining("no task 5");
        assertThatThrownBy(() -> client.logs(job.jobId(), DroverClient.REDUCE_TASK, LogStream.STDOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no reduce step");

        Cli unknown = cli("logs", "no-such-job");
        assertThat(unknown.code).isEqualTo(2);
        assertThat(unknown.err).isEqualTo("drover: unknown job no-such-job\n");
        assertThat(cli("logs", job.jobId(), "--shard", "-1").code).isEqualTo(2);
        assertThat(cli("logs", job.jobId(), "--shard", "1", "--reduce").err).contains("exclude each other");
        assertThat(cli("logs").code).as("JOB missing").isEqualTo(2);
        Cli help = cli("logs", "--help");
        assertThat(help.code).isZero();
        assertThat(help.out).contains("--follow", "--stderr", "--shard", "--reduce");
    }

    private record Cli(int code, String out, String err) {
    }

    private Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = DroverCli.commandLine();
        cl.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--coordinators=" + coordinator.endpoint());
        int code = cl.execute(all.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }
}
