package io.drover.agent.worker;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Remembers the first JVM-level error (out of memory, internal error) seen in the worker, on the
 * task thread or on any thread the job started: after one, the worker runs no more tasks.
 */
final class FatalErrors implements Thread.UncaughtExceptionHandler {
    private final AtomicReference<Throwable> first = new AtomicReference<>();
    private final Thread.UncaughtExceptionHandler fallback;

    FatalErrors(Thread.UncaughtExceptionHandler fallback) {
        this.fallback = fallback;
    }

    void record(Throwable error) {
        first.compareAndSet(null, error);
    }

    boolean seen() {
        return first.get() != null;
    }

    @Override
    public void uncaughtException(Thread thread, Throwable error) {
        if (error instanceof VirtualMachineError) {
            record(error);
        }
        if (fallback != null) {
            fallback.uncaughtException(thread, error);
        } else {
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            error.printStackTrace(System.err);
        }
    }
}
