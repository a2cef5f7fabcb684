package io.drover.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/** Waiting and cleaning up for the benchmark commands, which run outside any test framework. */
public final class BenchSupport {
    private BenchSupport() {
    }

    /**
     * Polls {@code condition} every 20 ms until it holds. A condition that throws counts as not yet:
     * during a failover the cluster answers with errors until a new leader serves.
     */
    public static void waitFor(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // between leaders: ask again until the deadline
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("condition not met within " + limit);
            }
            pause(20);
        }
    }

    public static void pause(long millis) {
        LockSupport.parkNanos(millis * 1_000_000);
    }
}
