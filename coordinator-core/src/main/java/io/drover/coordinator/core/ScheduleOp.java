package io.drover.coordinator.core;

import java.util.List;

/** What an {@link Event.ScheduleCommand} asks of the core's schedules. */
public sealed interface ScheduleOp {

    /** A new schedule; an identical existing one is answered as is (retries are safe). */
    record Add(ScheduleDefinition definition) implements ScheduleOp {
    }

    record SetPaused(String scheduleId, boolean paused) implements ScheduleOp {
    }

    record Remove(String scheduleId) implements ScheduleOp {
    }

    /** One run now, outside the cron times; the same {@code requestKey} always means the same run. */
    record RunNow(String scheduleId, String requestKey) implements ScheduleOp {
    }

    record Get(String scheduleId) implements ScheduleOp {
    }

    record ListAll() implements ScheduleOp {
    }

    /** The trigger engine says cron time {@code scheduledMs} of the schedule has come. No reply. */
    record Fired(String scheduleId, long scheduledMs) implements ScheduleOp {
    }

    /**
     * The trigger engine found cron times that passed unfired (no leader, or paused): the latest
     * of them, ascending and at most a bound, and how many there were in all. No reply.
     */
    record CatchUp(String scheduleId, List<Long> latestMissedMs, long missedCount) implements ScheduleOp {
        public CatchUp {
            latestMissedMs = List.copyOf(latestMissedMs);
        }
    }
}
