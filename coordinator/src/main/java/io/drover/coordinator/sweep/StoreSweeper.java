package io.drover.coordinator.sweep;

import io.drover.coordinator.engine.CoreLoop;
import io.drover.coordinator.store.Epoch;
import io.drover.coordinator.store.StoreSizes;

/**
 * The leader's housekeeping of what it keeps in ZooKeeper, as the RPC layer sees it: the sizes of
 * the latest sweep. Lives exactly as long as one leadership term, like the trigger engine.
 */
public interface StoreSweeper extends AutoCloseable {
    /** The latest sweep's figures, or fresh ones if none was taken yet. Blocks on ZooKeeper. */
    StoreSizes sizes();

    /** Stops sweeping; called when the leadership term ends. */
    @Override
    default void close() {
    }

    /** For a leadership term without housekeeping (tests, benchmarks). */
    static StoreSweeper none() {
        return () -> {
            throw new io.drover.coordinator.store.StoreException("this coordinator does not measure its store");
        };
    }

    /** Makes the sweeper of one leadership term; the composition root chooses what it does. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param name  unique in this JVM while the sweeper runs (it names the term)
         * @param loop  the term's running core loop, asked which artifacts are still referred to
         * @param epoch the term's epoch, which fences every delete
         * @return a started sweeper
         */
        StoreSweeper start(String name, CoreLoop loop, Epoch epoch);
    }
}
