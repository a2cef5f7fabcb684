package io.drover.coordinator.schedule;

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
}
