package io.drover.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One fire of a schedule.
 *
 * @param scheduledAt the cron time the run is for (for {@link Status#MANUAL}, the request time)
 * @param firedAt     when the leading coordinator handled the fire
 * @param status      what the fire did
 * @param jobId       the run's job; empty for skipped fires and workflow runs
 * @param jobState    how far the run's job got, when known
 * @param finishedAt  when the run's job ended
 * @param note        why a fire was skipped, how many missed times a catch-up run stands for, what it replaced
 * @param workflowJobs a workflow run's jobs: name in the workflow → job id, upstream first; empty
 *                    otherwise. {@code jobState} is then the worst end of them, once all ended.
 */
public record ScheduleRun(Instant scheduledAt, Instant firedAt, Status status, Optional<String> jobId,
                          Optional<JobState> jobState, Optional<Instant> finishedAt, Optional<String> note,
                          Map<String, String> workflowJobs) {

    /**
     * Copies {@code workflowJobs}, keeping its order.
     *
     * @param scheduledAt  the cron time
     * @param firedAt      when the fire was handled
     * @param status       what the fire did
     * @param jobId        the run's job
     * @param jobState     how far it got
     * @param finishedAt   when it ended
     * @param note         a note on the fire
     * @param workflowJobs a workflow run's jobs by name
     */
    public ScheduleRun {
        workflowJobs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(workflowJobs));
    }

    /**
     * A run of one job (or a skipped fire).
     *
     * @param scheduledAt the cron time
     * @param firedAt     when the fire was handled
     * @param status      what the fire did
     * @param jobId       the run's job
     * @param jobState    how far it got
     * @param finishedAt  when it ended
     * @param note        a note on the fire
     */
    public ScheduleRun(Instant scheduledAt, Instant firedAt, Status status, Optional<String> jobId,
                       Optional<JobState> jobState, Optional<Instant> finishedAt, Optional<String> note) {
        this(scheduledAt, firedAt, status, jobId, jobState, finishedAt, note, Map.of());
    }

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
