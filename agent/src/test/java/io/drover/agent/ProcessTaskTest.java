package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.testing.AgentHarness;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.TaskResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Process jobs: environment, arguments, stdout as value, exit codes, killing the process tree. */
class ProcessTaskTest {
    private static final String AGENT = AgentHarness.AGENT_ID;

    @TempDir
    Path workDir;
    private AgentHarness h;

    @BeforeEach
    void start() throws InterruptedException {
        h = AgentHarness.start(workDir, 2);
    }

    @AfterEach
    void stop() throws InterruptedException {
        h.close();
    }

    @Test
    void stdoutIsTheValue() {
        h.coordinator.addProcessJob("echo", List.of("/bin/sh", "-c", "echo $DROVER_SHARD_INDEX"), 3, 0, List.of());

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "echo", 2, null));

        assertThat(r.getOutcome()).as(r.getError()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(utf8(r.getValue())).isEqualTo("2\n");
    }

    @Test
    void jobArgumentsFollowTheCommandAndTheShardIsInTheEnvironment() {
        h.coordinator.addProcessJob("env", List.of("/bin/sh", "-c",
                "printf '%s %s %s %s %s' \"$DROVER_JOB_ID\" \"$DROVER_SHARD_COUNT\" \"$DROVER_SHARD_PARAM\" \"$0\" \"$1\"; pwd >&2"),
                5, 0, List.of("first", "second"));

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "env", 1, "eu-west"));

        assertThat(utf8(r.getValue())).isEqualTo("env 5 eu-west first second");
        assertThat(workDir.resolve("tasks/env/1")).isDirectory();
    }

    @Test
    void jobEnvironmentAndTheTaskDirectoryAreSet() {
        h.coordinator.addProcessJob("vars", List.of("/bin/sh", "-c", "printf '%s|%s|%s' \"$GREETING\" \"$DROVER_TASK_DIR\" \"$(pwd)\""),
                1, 0, java.util.Map.of("GREETING", "hello world"), null);

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "vars", 0, null));

        String taskDir = workDir.resolve("tasks/vars/0").toAbsolutePath().toString();
        assertThat(utf8(r.getValue())).isEqualTo("hello world|" + taskDir + "|" + taskDir);
    }

    @Test
    void absoluteWorkingDirectoryIsUsedAsItIs(@TempDir Path elsewhere) {
        h.coordinator.addProcessJob("abs", List.of("/bin/sh", "-c", "pwd; touch made-here"), 1, 0, java.util.Map.of(),
                elsewhere.toString());

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "abs", 0, null));

        assertThat(utf8(r.getValue()).strip()).isEqualTo(elsewhere.toString());
        assertThat(elsewhere.resolve("made-here")).exists();
    }

    @Test
    void relativeWorkingDirectoryIsCreatedInsideTheTaskDirectory() {
        h.coordinator.addProcessJob("rel", List.of("/bin/sh", "-c", "pwd"), 1, 0, java.util.Map.of(), "scratch/a");

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "rel", 0, null));

        assertThat(utf8(r.getValue()).strip()).isEqualTo(workDir.resolve("tasks/rel/0/scratch/a").toAbsolutePath().toString());
    }

    @Test
    void missingWorkingDirectoryFailsTheAttemptWithItsName() {
        h.coordinator.addProcessJob("nodir", List.of("/bin/true"), 1, 0, java.util.Map.of(), "/no/such/dir/here");

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "nodir", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.getError()).contains("/no/such/dir/here", "does not exist");
    }

    @Test
    void unknownCommandFailsWithTheShellStyleExitCode() {
        h.coordinator.addProcessJob("nocmd", List.of("/no/such/command"), 1, 0, List.of());

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "nocmd", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.getError()).contains("/no/such/command");
    }

    @Test
    void nonZeroExitFailsWithExitCodeAndEndOfStderr() {
        h.coordinator.addProcessJob("bad", List.of("/bin/sh", "-c", "echo starting; echo boom >&2; exit 3"), 1, 0, List.of());

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "bad", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.getError()).contains("exit code 3", "boom");
    }

    @Test
    void timeoutKillsTheWholeProcessTree() {
        h.coordinator.addProcessJob("sleepy", List.of("/bin/sh", "-c", "sleep 600 & echo $! > child.pid; wait"), 1, 500, List.of());

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "sleepy", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.TIMED_OUT);
        long child = readPid(workDir.resolve("tasks/sleepy/0/child.pid"));
        await().atMost(AgentHarness.WAIT).until(() -> ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
    }

    @Test
    void cancelKillsTheWholeProcessTree() {
        h.coordinator.addProcessJob("forever", List.of("/bin/sh", "-c", "sleep 600 & echo $! > child.pid; wait"), 1, 0, List.of());
        long attempt = h.coordinator.assign(AGENT, "forever", 0, null);
        long child = readPid(workDir.resolve("tasks/forever/0/child.pid"));

        h.coordinator.cancel(AGENT, attempt);

        assertThat(h.awaitResult(attempt).getOutcome()).isEqualTo(Outcome.CANCELLED);
        await().atMost(AgentHarness.WAIT).until(() -> ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
    }

    @Test
    void reduceTaskSeesShardResultsAsFiles() {
        h.coordinator.addProcessJob("sum", List.of("/bin/sh", "-c", "cat \"$DROVER_REDUCE_INPUTS\"/0 \"$DROVER_REDUCE_INPUTS\"/1"), 2, 0, List.of());
        List<byte[]> inputs = List.of("a".getBytes(StandardCharsets.UTF_8), "b".getBytes(StandardCharsets.UTF_8));

        TaskResult r = h.awaitResult(h.coordinator.assignReduce(AGENT, "sum", 2, inputs));

        assertThat(utf8(r.getValue())).isEqualTo("ab");
    }

    @Test
    void jobWithoutCommandIsRejected() {
        h.coordinator.addProcessJob("empty", List.of(), 1, 0, List.of());

        TaskResult r = h.awaitResult(h.coordinator.assign(AGENT, "empty", 0, null));

        assertThat(r.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(r.getError()).contains("has no command");
    }

    private static long readPid(Path file) {
        Optional<String> text = await().atMost(AgentHarness.WAIT).until(() -> read(file), Optional::isPresent);
        return Long.parseLong(text.orElseThrow().trim());
    }

    private static Optional<String> read(Path file) throws IOException {
        return Files.exists(file) && Files.size(file) > 0 ? Optional.of(Files.readString(file)) : Optional.empty();
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
