package io.drover.sdk;

import java.time.Instant;
import java.util.List;

/**
 * A schedule as the leading coordinator sees it.
 *
 * @param spec          the schedule; its job names the uploaded artifact (never a local jar path)
 * @param createdAt     when it was added
 * @param lastFire      the latest cron time handled, fired or skipped ({@code createdAt} before the first)
 * @param history       the latest runs, newest first (bounded)
 * @param nextFireTimes the next cron times; empty while paused
 */
public record ScheduleStatus(ScheduleSpec spec, Instant createdAt, Instant lastFire, List<ScheduleRun> history,
                             List<Instant> nextFireTimes) {
    /**
     * Copies the lists.
     *
     * @param spec as the record component
     * @param createdAt as the record component
     * @param lastFire as the record component
     * @param history as the record component
     * @param nextFireTimes as the record component
     */
    public ScheduleStatus {
        history = List.copyOf(history);
        nextFireTimes = List.copyOf(nextFireTimes);
    }

    /** {@return the schedule's name} */
    public String name() {
        return spec.name();
    }
}
