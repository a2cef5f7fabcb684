package io.drover.coordinator.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One fire of a schedule, as recorded durably: the cron time it is for, when the leader handled
 * it, what came of it, and (once known) how the run's job ended.
 *
 * @param scheduledMs the cron time (for {@link Status#MANUAL}, the request time)
 * @param firedMs     when the core handled the fire
 * @param jobId       the run's job; null for skipped fires and for workflow runs
 * @param note        why it was skipped, what it replaced, how many fires a misfire covered; may be null
 * @param outcome     the job's end state, null while it runs (or for skips)
 * @param endedAtMs   when the job ended, 0 while it runs
 * @param workflowJobs a workflow run's jobs: name in the workflow → job id, upstream first; empty
 *                    for one-job runs. Its outcome is known once every one of them ended.
 */
public record ScheduleRun(String scheduleId, long scheduledMs, long firedMs, Status status, String jobId, String note,
                          JobState outcome, long endedAtMs, Map<String, String> workflowJobs) {

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
        workflowJobs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(workflowJobs));
    }

    /** A one-job run (or a skipped fire). */
    public ScheduleRun(String scheduleId, long scheduledMs, long firedMs, Status status, String jobId, String note,
                       JobState outcome, long endedAtMs) {
        this(scheduleId, scheduledMs, firedMs, status, jobId, note, outcome, endedAtMs, Map.of());
    }

    public ScheduleRun ended(JobState state, long atMs) {
        return new ScheduleRun(scheduleId, scheduledMs, firedMs, status, jobId, note, state, atMs, workflowJobs);
    }

    /** Every job the run started: none for a skip, one, or a workflow's. */
    public List<String> jobIds() {
        if (!workflowJobs.isEmpty()) {
            return new ArrayList<>(workflowJobs.values());
        }
        return jobId == null ? List.of() : List.of(jobId);
    }

    /** Cron fires (not run-now requests) move the schedule's last fire time. */
    public boolean isCronFire() {
        return status != Status.MANUAL;
    }
}
