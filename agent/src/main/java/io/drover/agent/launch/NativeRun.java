package io.drover.agent.launch;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One attempt the native launcher took: first it is started (the command's pid) or failed to
 * start, then it exits (the command's wait status, reported once every process of the attempt is
 * gone and the output files are complete). Completed by the launcher's reader thread.
 */
public final class NativeRun {
    private final long attemptId;
    private final CompletableFuture<Long> started = new CompletableFuture<>();
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();

    NativeRun(long attemptId) {
        this.attemptId = attemptId;
    }

    public long attemptId() {
        return attemptId;
    }

    /** The command's pid once it was exec'd. */
    public long awaitStart() throws LaunchFailedException, LauncherException, InterruptedException {
        try {
            return started.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LaunchFailedException failed) {
                throw new LaunchFailedException(failed.getMessage());
            }
            if (e.getCause() instanceof LaunchRefusedException refused) {
                throw new LaunchRefusedException(refused.getMessage());
            }
            throw new LauncherException(e.getCause().getMessage());
        }
    }

    /** Whether the launcher reported the command started (or its attempt over). */
    boolean hasStarted() {
        return started.isDone() && !started.isCompletedExceptionally();
    }

    /** The command's exit code (128 + the signal that killed it, as the JDK says), within {@code wait}. */
    public OptionalInt awaitExit(Duration wait) throws LauncherException, InterruptedException {
        try {
            return OptionalInt.of(exitCode(exited.get(wait.toNanos(), TimeUnit.NANOSECONDS)));
        } catch (TimeoutException e) {
            return OptionalInt.empty();
        } catch (ExecutionException e) {
            throw new LauncherException(e.getCause().getMessage());
        }
    }

    /** Whether the attempt is over (every process of it gone). */
    public boolean exited() {
        return exited.isDone();
    }

    static int exitCode(int waitStatus) {
        int signal = waitStatus & 0x7f;
        return signal == 0 ? (waitStatus >>> 8) & 0xff : 128 + signal;
    }

    void started(long pid) {
        started.complete(pid);
    }

    void failed(LaunchFailedException e) {
        started.completeExceptionally(e);
        exited.completeExceptionally(e);
    }

    void exited(int waitStatus) {
        started.complete(-1L); // not reached: 'R' comes first
        exited.complete(waitStatus);
    }

    void lost(LauncherException e) {
        started.completeExceptionally(e);
        exited.completeExceptionally(e);
    }
}
