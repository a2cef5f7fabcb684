package io.drover.coordinator.core;

import java.util.List;
import java.util.Objects;

/**
 * A cron schedule as the core keeps it: when to fire (as text the core never parses), what each
 * fire runs, and the policies for missed fires and overlapping runs. Fire times reach the core as
 * values from the trigger engine (Quartz, on the leader only), so the core stays a pure function
 * of its events.
 *
 * @param id          the schedule's name, unique
 * @param cron        Quartz cron expression, seconds first
 * @param zone        IANA time zone id the cron expression is read in
 * @param template    what every run submits; its job id and idempotency key are placeholders;
 *                    null when the schedule runs a workflow
 * @param maxCatchUp  {@link Misfire#FIRE_ALL}: at most this many missed runs
 * @param createdAtMs when the schedule was added: fire times before it are never "missed"
 * @param workflow    when not empty, every fire submits all these jobs at once (dependencies name
 *                    jobs of the workflow), instead of one run of {@code template}
 */
public record ScheduleDefinition(String id, String cron, String zone, JobDefinition template, Misfire misfire,
                                 int maxCatchUp, Overlap overlap, boolean paused, long createdAtMs,
                                 List<WorkflowJob> workflow) {

    /** Fire times that passed with no leader running the schedule, or while it was paused. */
    public enum Misfire { FIRE_ONCE_NOW, SKIP, FIRE_ALL }

    /** A fire while an earlier run of the schedule still runs. */
    public enum Overlap { ALLOW, FORBID, REPLACE }

    public ScheduleDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(zone, "zone");
        workflow = List.copyOf(workflow);
        if ((template == null) == workflow.isEmpty()) {
            throw new IllegalArgumentException("a schedule runs either a job template or a workflow, not "
                    + (template == null ? "neither" : "both"));
        }
        Objects.requireNonNull(misfire, "misfire");
        Objects.requireNonNull(overlap, "overlap");
        if (maxCatchUp < 1) {
            throw new IllegalArgumentException("maxCatchUp must be >= 1, was " + maxCatchUp);
        }
    }

    /** A schedule whose every fire runs one job of {@code template}. */
    public ScheduleDefinition(String id, String cron, String zone, JobDefinition template, Misfire misfire,
                              int maxCatchUp, Overlap overlap, boolean paused, long createdAtMs) {
        this(id, cron, zone, Objects.requireNonNull(template, "template"), misfire, maxCatchUp, overlap, paused,
                createdAtMs, List.of());
    }

    /** Whether every fire submits a workflow rather than one job. */
    public boolean isWorkflow() {
        return !workflow.isEmpty();
    }

    public ScheduleDefinition withPaused(boolean p) {
        return new ScheduleDefinition(id, cron, zone, template, misfire, maxCatchUp, overlap, p, createdAtMs, workflow);
    }

    public ScheduleDefinition withCreatedAt(long ms) {
        return new ScheduleDefinition(id, cron, zone, template, misfire, maxCatchUp, overlap, paused, ms, workflow);
    }

    /** Same schedule apart from its creation time: re-adding it is a retry, not a conflict. */
    public boolean sameAs(ScheduleDefinition o) {
        return equals(o.withCreatedAt(createdAtMs));
    }
}
