package io.drover.agent.exec;

import io.drover.agent.contain.Enclosure;
import io.drover.agent.launch.LaunchFailedException;
import io.drover.agent.launch.LaunchRefusedException;
import io.drover.agent.launch.LaunchRequest;
import io.drover.agent.launch.LauncherException;
import io.drover.agent.launch.NativeLauncher;
import io.drover.agent.launch.NativeRun;
import io.drover.agent.logs.StreamKind;
import io.drover.agent.logs.TaskOutputs;
import io.drover.agent.logs.TaskOutputs.ExternalOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process task through the native launcher: one exec, in its own session, in the attempt's
 * cgroup where there is one, its output copied into the capped files by the attempt's reaper, every
 * orphan of it adopted by that reaper. Stopping it: SIGTERM to all of it, up to the grace, then
 * SIGKILL; when the command exits by itself, what it left is killed by the reaper (in both
 * containment modes), and the cgroup (if any) is checked empty by the enclosure as before.
 */
final class NativeTaskRun {
    private static final Logger log = LoggerFactory.getLogger(NativeTaskRun.class);
    /** After SIGKILL: how long the reaper may take to report (its own kill rounds stop after 10 s). */
    private static final Duration KILL_WAIT = Duration.ofSeconds(15);

    /** What the command did: its exit code, or that it could not start ({@code startFailure}). */
    record Outcome(int exitCode, String startFailure, Path stdout, Path stderr) {
    }

    private final NativeLauncher launcher;
    private final TaskOutputs outputs;
    private final Duration killGrace;

    NativeTaskRun(NativeLauncher launcher, TaskOutputs outputs, Duration killGrace) {
        this.launcher = launcher;
        this.outputs = outputs;
        this.killGrace = killGrace;
    }

    /**
     * Runs the command to its end. {@link LauncherException}: the launcher could not take it or refused it, and
     * nothing ran (start it through the JDK). Interrupted (cancel, timeout, shutdown): stopped, then the interrupt is thrown.
     */
    Outcome run(long attemptId, String jobId, int task, List<String> command, Map<String, String> env, Path workDir,
                Enclosure enclosure) throws LauncherException, IOException, InterruptedException {
        try (ExternalOutput out = outputs.reserve(jobId, task, attemptId, StreamKind.STDOUT);
             ExternalOutput err = outputs.reserve(jobId, task, attemptId, StreamKind.STDERR)) {
            NativeRun run = launcher.start(new LaunchRequest(attemptId, outputs.capBytes(), workDir.toAbsolutePath(),
                    out.file().toAbsolutePath(), err.file().toAbsolutePath(), command, env, enclosure.memberFiles()));
            try {
                run.awaitStart(); // refused: nothing ran, the caller starts it through the JDK
            } catch (LaunchFailedException e) {
                return new Outcome(-1, e.getMessage(), out.file(), err.file());
            } catch (InterruptedException e) {
                stop(run);
                throw e;
            } catch (LauncherException e) {
                if (e instanceof LaunchRefusedException) {
                    throw e;
                }
                // The launcher went after it took the attempt, which may have started: failed (the coordinator
                // runs it again), never started a second time here.
                throw new IOException("the native launcher ended as it took the attempt: " + e.getMessage(), e);
            }
            try {
                OptionalInt exit = run.awaitExit(Duration.ofDays(365L * 100));
                return new Outcome(exit.orElseThrow(), null, out.file(), err.file());
            } catch (InterruptedException e) {
                stop(run);
                throw e;
            } catch (LauncherException e) {
                // Not a start failure: the attempt ran, and its reaper killed it when the launcher went.
                throw new IOException("the native launcher ended while the task ran: " + e.getMessage(), e);
            }
        }
    }

    /** SIGTERM to every process of the attempt, up to the grace, then SIGKILL; not cut short by interrupts. */
    private void stop(NativeRun run) {
        boolean interrupted = false;
        try {
            for (int signal : killGrace.isZero() ? new int[] {9} : new int[] {15, 9}) {
                launcher.kill(run.attemptId(), signal);
                Duration wait = signal == 15 ? killGrace : KILL_WAIT;
                long deadline = System.nanoTime() + wait.toNanos();
                while (!run.exited() && System.nanoTime() < deadline) {
                    try {
                        run.awaitExit(Duration.ofNanos(deadline - System.nanoTime()));
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (run.exited()) {
                    return;
                }
            }
            log.warn("attempt {} still runs {} s after SIGKILL", run.attemptId(), KILL_WAIT.toSeconds());
        } catch (LauncherException e) {
            log.warn("cannot stop attempt {} through the launcher ({}); its reaper kills it when the launcher is gone",
                    run.attemptId(), e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
