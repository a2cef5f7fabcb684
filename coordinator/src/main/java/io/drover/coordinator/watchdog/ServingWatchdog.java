package io.drover.coordinator.watchdog;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a coordinator that cannot serve give way. A leader whose core loop is stuck or whose port
 * no longer answers keeps its ZooKeeper session (Curator's threads are fine), so nothing else would
 * ever replace it. Every round this runs its checks; once some check has failed continuously for
 * {@code stepDownAfterMs}, it logs why, steps down (releases the leader latch) and exits the process
 * with {@link #EXIT_CODE}, so its supervisor restarts it and a standby takes over.
 *
 * <p>Clock, checks, step-down and exit are injected: no static state, testable without threads.
 */
public final class ServingWatchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServingWatchdog.class);

    /** Process exit code when the watchdog gave up: distinct from errors (1) and -XX:+ExitOnOutOfMemoryError (3). */
    public static final int EXIT_CODE = 70;

    /** One thing a serving coordinator must be able to do. */
    @FunctionalInterface
    public interface Check {
        /** Null when fine, else what is wrong (one line). */
        String failure();
    }

    /** Ends the process (or, embedded, whatever stands for that). */
    @FunctionalInterface
    public interface Exit {
        void exit(int code, String why);
    }

    private final LongSupplier clockMs;
    private final Map<String, Check> checks;
    private final long stepDownAfterMs;
    private final Runnable stepDown;
    private final Exit exit;
    private long failingSinceMs = -1;
    private boolean fired;
    private volatile Thread thread;

    public ServingWatchdog(LongSupplier clockMs, Map<String, Check> checks, long stepDownAfterMs, Runnable stepDown, Exit exit) {
        this.clockMs = clockMs;
        this.checks = Map.copyOf(checks);
        this.stepDownAfterMs = stepDownAfterMs;
        this.stepDown = stepDown;
        this.exit = exit;
    }

    /** Runs the checks once; true once the watchdog has stepped down and exited. */
    public synchronized boolean checkOnce() {
        if (fired) {
            return true;
        }
        List<String> failures = checks.entrySet().stream()
                .map(e -> {
                    String f = run(e.getValue());
                    return f == null ? null : e.getKey() + ": " + f;
                })
                .filter(f -> f != null)
                .sorted()
                .toList();
        long now = clockMs.getAsLong();
        if (failures.isEmpty()) {
            if (failingSinceMs >= 0) {
                log.info("serving again after {} ms of failed checks", now - failingSinceMs);
            }
            failingSinceMs = -1;
            return false;
        }
        if (failingSinceMs < 0) {
            failingSinceMs = now;
            log.warn("cannot serve: {} (stepping down if this lasts {} ms)", String.join("; ", failures), stepDownAfterMs);
            return false;
        }
        if (now - failingSinceMs < stepDownAfterMs) {
            return false;
        }
        fired = true;
        String why = "cannot serve for " + (now - failingSinceMs) + " ms: " + String.join("; ", failures);
        log.error("{}; stepping down and exiting with code {}", why, EXIT_CODE);
        try {
            stepDown.run();
        } catch (RuntimeException e) {
            log.error("stepping down failed ({}); exiting all the same", e.toString());
        }
        exit.exit(EXIT_CODE, why);
        return true;
    }

    private static String run(Check c) {
        try {
            return c.failure();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    /** Checks every {@code periodMs} on a daemon thread until closed or fired. */
    public ServingWatchdog start(long periodMs) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(periodMs);
                } catch (InterruptedException e) {
                    return;
                }
                if (checkOnce()) {
                    return;
                }
            }
        }, "drover-watchdog");
        t.setDaemon(true);
        thread = t;
        t.start();
        return this;
    }

    @Override
    public void close() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
