package io.drover.cli.client;

import io.drover.sdk.JobStatus;
import java.io.PrintWriter;
import java.util.function.Function;

/**
 * What Ctrl-C (or SIGTERM) does while {@code drover submit --wait} waits: the job lives on the
 * coordinators, so the user is told it still runs and how to stop it, or with
 * {@code --cancel-on-interrupt} it is cancelled. A JVM shutdown hook, registered only while waiting:
 * once the wait has ended, Ctrl-C has nothing to say. Holds no static state.
 */
final class InterruptGuard implements AutoCloseable {
    private final Thread hook;

    private InterruptGuard(Thread hook) {
        this.hook = hook;
    }

    /** Runs {@code onInterrupt} if the JVM shuts down before {@link #close()}. */
    static InterruptGuard install(Runnable onInterrupt) {
        Thread hook = new Thread(onInterrupt, "drover-interrupted-wait");
        Runtime.getRuntime().addShutdownHook(hook);
        return new InterruptGuard(hook);
    }

    /**
     * The hook's work for {@code jobId}: say how to stop it, or (with {@code cancel}) cancel it through
     * {@code canceller} and say how that went. The canceller should use a connection of its own: the
     * waiting thread may be holding the command's in a call.
     */
    static Runnable action(String jobId, boolean cancel, Function<String, JobStatus> canceller, PrintWriter err) {
        String id = SafeText.of(jobId);
        String howToStop = "`drover cancel " + id + "` stops it";
        return () -> {
            if (!cancel) {
                err.println("drover: job " + id + " is still running; " + howToStop);
            } else {
                err.println("drover: interrupted: cancelling job " + id + " (--cancel-on-interrupt)");
                err.flush();
                try {
                    JobStatus s = canceller.apply(jobId);
                    err.println("drover: job " + SafeText.of(s.jobId()) + " " + s.state());
                } catch (RuntimeException e) {
                    err.println("drover: could not cancel job " + id + ": "
                            + SafeText.of(e.getMessage() != null ? e.getMessage() : e.toString()) + "; " + howToStop);
                }
            }
            err.flush();
        };
    }

    /** The registered hook (for tests). */
    Thread hook() {
        return hook;
    }

    /** The wait is over: Ctrl-C from now on is the JVM's ordinary exit. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run: nothing to undo.
        }
    }
}
