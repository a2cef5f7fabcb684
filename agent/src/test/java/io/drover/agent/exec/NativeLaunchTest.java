package io.drover.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.agent.contain.TrackedContainment;
import io.drover.agent.launch.NativeLauncher;
import io.drover.agent.logs.TaskOutputs;
import io.drover.agent.platform.ProcessTree;
import io.drover.agent.task.Execution;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.JobDescription.JobKind;
import io.drover.agent.task.JvmIsolation;
import io.drover.agent.task.TaskAssignment;
import io.drover.agent.task.TaskOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process tasks through the native launcher: the command is the reaper's child (one exec), its
 * output and exit code arrive as through the JDK, the output cap and its marker hold, a missing
 * program fails saying so, and once the launcher is gone tasks start through the JDK again.
 * Real processes; skipped where drover-launch was not built (no C compiler).
 */
class NativeLaunchTest {
    private static final int CAP = 1000;

    @TempDir
    Path dir;
    private NativeLauncher launcher;
    private ProcessTaskExecutor executor;

    @BeforeEach
    void start() throws IOException {
        Optional<Path> binary = NativeLauncher.locate();
        assumeTrue(binary.isPresent(), "drover-launch was not built (no C compiler)");
        launcher = NativeLauncher.start(binary.get(), "nl");
        executor = new ProcessTaskExecutor(new TaskOutputs(dir.resolve("tasks"), CAP), TrackedContainment.onHost(ProcessTree.detect()),
                Duration.ofMillis(200), "nl", ResultFiles.inlineOnly(), Optional.of(launcher));
    }

    @AfterEach
    void stop() {
        if (executor != null) {
            executor.close();
        }
    }

    @Test
    void theCommandRunsAsTheReapersChildWithItsOutputAndExitCode() throws Exception {
        Execution ok = run(1, "echo out; cat /proc/$PPID/comm; echo err >&2");
        assertThat(ok.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
        assertThat(new String(ok.value().orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("out\ndrover-launch\n");
        assertThat(Files.readString(output(1, "stderr"))).isEqualTo("err\n");
        assertThat(executor.launcherInUse()).isEqualTo("native");

        Execution failed = run(2, "echo why >&2; exit 7");
        assertThat(failed.outcome()).isEqualTo(TaskOutcome.FAILED);
        assertThat(failed.error().orElseThrow()).isEqualTo("exit code 7; end of stderr:\nwhy");

        Execution killed = run(3, "kill -9 $$");
        assertThat(killed.error().orElseThrow()).startsWith("exit code 137");
    }

    @Test
    void outputOverTheCapIsDroppedAndTheMarkerSaysHowMuch() throws Exception {
        Execution execution = run(4, "head -c 5000 /dev/zero | tr '\\0' x; head -c 20 /dev/zero >&2");

        assertThat(execution.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
        assertThat(Files.size(output(4, "stdout"))).isEqualTo(CAP);
        assertThat(Files.readString(TaskOutputs.truncationMarker(output(4, "stdout"))))
                .isEqualTo("output capped at " + CAP + " bytes; 4000 later bytes were dropped\n");
        assertThat(Files.size(output(4, "stderr"))).isEqualTo(20);
        assertThat(TaskOutputs.truncationMarker(output(4, "stderr"))).doesNotExist();
        assertThat(Files.getPosixFilePermissions(output(4, "stdout")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void aMissingProgramFailsSayingSo() throws Exception {
        JobDescription job = job(List.of("no-such-program-" + dir.getFileName()));

        Execution execution = executor.execute(assignment(5), job);

        assertThat(execution.outcome()).isEqualTo(TaskOutcome.FAILED);
        assertThat(execution.error().orElseThrow()).contains("cannot execute no-such-program").contains("No such file or directory");
    }

    @Test
    void onceTheLauncherIsGoneTasksStartThroughTheJdk() throws Exception {
        ProcessHandle.of(launcher.pid()).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !launcher.usable());

        Execution execution = run(6, "cat /proc/$PPID/comm");

        assertThat(execution.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
        assertThat(new String(execution.value().orElseThrow(), StandardCharsets.UTF_8)).doesNotContain("drover-launch");
        assertThat(executor.launcherInUse()).isEqualTo("jdk");
    }

    private Execution run(long attemptId, String script) throws Exception {
        return executor.execute(assignment(attemptId), job(List.of("/bin/sh", "-c", script)));
    }

    private Path output(long attemptId, String stream) {
        return dir.resolve("tasks/job/" + attemptId + "/attempt-" + attemptId + "." + stream);
    }

    private static JobDescription job(List<String> command) {
        return new JobDescription("job", JobKind.PROCESS, Optional.empty(), Optional.empty(), command, List.of(), 10,
                Optional.empty(), 0, JvmIsolation.WORKER, Map.of(), Optional.empty());
    }

    private static TaskAssignment assignment(long attemptId) {
        return new TaskAssignment(attemptId, "job", (int) attemptId, Optional.empty(), false, List.of());
    }
}
