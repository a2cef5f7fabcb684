package io.drover.bench;

import io.drover.bench.cluster.ProcessCluster;
import java.nio.file.Path;
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

    /** A process cluster, secure unless {@code insecure} (the plaintext baseline, a bench's --insecure). */
    public static ProcessCluster processCluster(String zkConnect, Path dir, String sessionTimeout, boolean insecure) {
        ProcessCluster cluster = new ProcessCluster(zkConnect, dir, sessionTimeout);
        return insecure ? cluster.insecure() : cluster;
    }

    public static void pause(long millis) {
        LockSupport.parkNanos(millis * 1_000_000);
    }
}
