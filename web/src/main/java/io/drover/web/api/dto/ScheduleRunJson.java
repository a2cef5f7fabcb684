package io.drover.web.api.dto;

/**
 * One fire of a schedule. {@code status}: STARTED, MANUAL, SKIPPED_OVERLAP or SKIPPED_MISFIRE; {@code outcome}:
 * {@code ok}, {@code failed}, {@code running} or {@code skipped}; {@code late}: handled {@link Dtos#LATE_AFTER} or
 * more after its cron time ({@code lagMillis}). A workflow schedule's run has its jobs' ids in {@code jobId},
 * comma-separated, upstream first, and {@code jobState} is the worst end of them once all ended.
 */
public record ScheduleRunJson(String scheduledAt, String firedAt, String status, String jobId, String jobState,
                              String finishedAt, long lagMillis, boolean late, String outcome, String note) {
}
