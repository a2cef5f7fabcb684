package io.drover.coordinator.core;

import java.util.Objects;

/**
 * One fire of a schedule, as recorded durably: the cron time it is for, when the leader handled
 * it, what came of it, and (once known) how the run's job ended.
 *
 * @param scheduledMs the cron time (for {@link Status#MANUAL}, the request time)
 * @param firedMs     when the core handled the fire
 * @param jobId       the run's job; null for skipped fires
 * @param note        why it was skipped, what it replaced, how many fires a misfire covered; may be null
 * @param outcome     the job's end state, null while it runs (or for skips)
 * @param endedAtMs   when the job ended, 0 while it runs
 */
public record ScheduleRun(String scheduleId, long scheduledMs, long firedMs, Status status, String jobId, String note,
                          JobState outcome, long endedAtMs) {

    public enum Status {
        /** A cron fire started a run. */
        STARTED,
        /** A run-now request started a run. */
        MANUAL,
        /** The overlap policy FORBID skipped the fire: an earlier run still ran. */
        SKIPPED_OVERLAP,
        /** The misfire policy skipped missed fire times. */
        SKIPPED_MISFIRE
    }

    public ScheduleRun {
        Objects.requireNonNull(scheduleId, "scheduleId");
        Objects.requireNonNull(status, "status");
    }

    public ScheduleRun ended(JobState state, long atMs) {
        return new ScheduleRun(scheduleId, scheduledMs, firedMs, status, jobId, note, state, atMs);
    }

    /** Cron fires (not run-now requests) move the schedule's last fire time. */
    public boolean isCronFire() {
        return status != Status.MANUAL;
    }
}
