package io.drover.coordinator.core;

/** What a {@link Fact.ScheduleChanged} fact records about a schedule. */
public sealed interface ScheduleChange {
    String scheduleId();

    /** A schedule was added, paused or resumed: its whole definition as it now is. */
    record Saved(ScheduleDefinition definition) implements ScheduleChange {
        @Override public String scheduleId() { return definition.id(); }
    }

    /** A schedule was removed; its runs go on. */
    record Removed(String scheduleId) implements ScheduleChange {
    }

    /**
     * A fire was handled: a run started or a fire was skipped. Written in the same group commit
     * as the run's job, and it moves the schedule's last fire time, so a new leader neither fires
     * that time again nor counts it as missed.
     */
    record Ran(ScheduleRun run) implements ScheduleChange {
        @Override public String scheduleId() { return run.scheduleId(); }
    }

    /**
     * The schedule's last fire time, written only by compaction: the trimmed history may no longer
     * hold the cron fire that set it.
     */
    record LastFire(String scheduleId, long lastFireMs) implements ScheduleChange {
    }
}
