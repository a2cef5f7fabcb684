package io.drover.coordinator.schedule;

import io.drover.coordinator.engine.CoreLoop;

/**
 * The leader's cron trigger engine, as the RPC layer sees it: told when a schedule changed so it
 * can re-read it from the core and re-arm (or drop) its trigger.
 */
public interface TriggerEngine extends AutoCloseable {
    void changed(String scheduleId);

    /** Stops every trigger; called when the leadership term ends. */
    @Override
    default void close() {
    }

    /** For a leadership term without schedules (tests, benchmarks). */
    static TriggerEngine none() {
        return id -> { };
    }

    /**
     * Makes the trigger engine of one leadership term. The leader election calls it once the
     * term's core loop runs and closes the engine when the term ends; the composition root
     * chooses the implementation.
     */
    @FunctionalInterface
    interface Factory {
        /**
         * @param name unique in this JVM while the engine runs (it names the term)
         * @param loop the term's running core loop, which the engine reads schedules from and fires into
         * @return a started engine
         */
        TriggerEngine start(String name, CoreLoop loop);
    }
}
