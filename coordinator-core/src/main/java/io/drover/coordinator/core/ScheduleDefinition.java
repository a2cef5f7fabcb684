package io.drover.coordinator.core;

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
 * @param template    what every run submits; its job id and idempotency key are placeholders
 * @param maxCatchUp  {@link Misfire#FIRE_ALL}: at most this many missed runs
 * @param createdAtMs when the schedule was added: fire times before it are never "missed"
 */
public record ScheduleDefinition(String id, String cron, String zone, JobDefinition template, Misfire misfire,
                                 int maxCatchUp, Overlap overlap, boolean paused, long createdAtMs) {

    /** Fire times that passed with no leader running the schedule, or while it was paused. */
    public enum Misfire { FIRE_ONCE_NOW, SKIP, FIRE_ALL }

    /** A fire while an earlier run of the schedule still runs. */
    public enum Overlap { ALLOW, FORBID, REPLACE }

    public ScheduleDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(misfire, "misfire");
        Objects.requireNonNull(overlap, "overlap");
        if (maxCatchUp < 1) {
            throw new IllegalArgumentException("maxCatchUp must be >= 1, was " + maxCatchUp);
        }
    }

    public ScheduleDefinition withPaused(boolean p) {
        return new ScheduleDefinition(id, cron, zone, template, misfire, maxCatchUp, overlap, p, createdAtMs);
    }

    public ScheduleDefinition withCreatedAt(long ms) {
        return new ScheduleDefinition(id, cron, zone, template, misfire, maxCatchUp, overlap, paused, ms);
    }

    /** Same schedule apart from its creation time: re-adding it is a retry, not a conflict. */
    public boolean sameAs(ScheduleDefinition o) {
        return equals(o.withCreatedAt(createdAtMs));
    }
}
