package io.drover.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One fire of a schedule.
 *
 * @param scheduledAt the cron time the run is for (for {@link Status#MANUAL}, the request time)
 * @param firedAt     when the leading coordinator handled the fire
 * @param status      what the fire did
 * @param jobId       the run's job; empty for skipped fires
 * @param jobState    how far the run's job got, when known
 * @param finishedAt  when the run's job ended
 * @param note        why a fire was skipped, how many missed times a catch-up run stands for, what it replaced
 */
public record ScheduleRun(Instant scheduledAt, Instant firedAt, Status status, Optional<String> jobId,
                          Optional<JobState> jobState, Optional<Instant> finishedAt, Optional<String> note) {

    /** What a fire did. */
    public enum Status {
        /** A cron fire started a run. */
        STARTED,
        /** A run-now request started a run. */
        MANUAL,
        /** The overlap policy FORBID skipped the fire. */
        SKIPPED_OVERLAP,
        /** The misfire policy skipped missed fire times. */
        SKIPPED_MISFIRE
    }

    /** {@return how late the fire was handled: fire precision} */
    public Duration lag() {
        return Duration.between(scheduledAt, firedAt);
    }

    /** {@return the time from the fire to the end of the run's job, once it ended} */
    public Optional<Duration> duration() {
        return finishedAt.map(f -> Duration.between(firedAt, f));
    }
}
