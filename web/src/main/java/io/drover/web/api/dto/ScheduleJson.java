package io.drover.web.api.dto;

import java.util.List;

/**
 * A schedule: its cron and policies, what it runs ({@code job}: the command, or the entry class and artifact;
 * for {@code jobKind} WORKFLOW the names of the workflow's jobs, with {@code shards} summed over them),
 * the next fire times (empty while paused), and its run history newest first with counts of ok, failed, late and
 * skipped runs among it.
 */
public record ScheduleJson(String name, String cron, String zone, boolean paused, String misfire, int maxCatchUp,
                           String overlap, String jobKind, String job, int shards, String createdAt, String lastFire,
                           List<String> nextFireTimes, List<ScheduleRunJson> history, int ok, int failed, int late,
                           int skipped) {
    public ScheduleJson {
        nextFireTimes = List.copyOf(nextFireTimes);
        history = List.copyOf(history);
    }
}
