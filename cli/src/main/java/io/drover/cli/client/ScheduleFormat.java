package io.drover.cli.client;

import io.drover.protocol.text.DurationText;
import io.drover.sdk.ScheduleRun;
import io.drover.sdk.ScheduleStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/** Text for {@code drover schedule list} and {@code show}. Pure. */
final class ScheduleFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS xxx");

    private ScheduleFormat() {
    }

    /** An instant in the schedule's zone, with its offset, so DST is visible. */
    static String time(Instant t, ZoneId zone) {
        return TIME.format(t.atZone(zone));
    }

    static String list(Iterable<ScheduleStatus> schedules) {
        TextTable table = new TextTable("NAME", "RUNS", "CRON", "ZONE", "STATE", "NEXT FIRE", "LAST RUN", "MISFIRE",
                "OVERLAP");
        for (ScheduleStatus s : schedules) {
            String last = s.history().isEmpty() ? "-" : run(s.history().get(0));
            table.row(s.name(), runs(s), s.spec().cron(), s.spec().zone(), s.spec().paused() ? "PAUSED" : "ACTIVE",
                    s.nextFireTimes().isEmpty() ? "-" : time(s.nextFireTimes().get(0), s.spec().zone()), last,
                    s.spec().misfire(), s.spec().overlap());
        }
        return table.render();
    }

    /** What a fire starts: "job", or "workflow (N jobs)". */
    private static String runs(ScheduleStatus s) {
        return s.spec().workflow().map(w -> "workflow (" + w.jobs().size() + " jobs)").orElse("job");
    }

    /** A run's jobs: its one job id, or a workflow run's ids, upstream first. */
    private static String jobs(ScheduleRun r) {
        return r.workflowJobs().isEmpty() ? r.jobId().orElse("-") : String.join(",", r.workflowJobs().values());
    }

    private static String run(ScheduleRun r) {
        if (!r.workflowJobs().isEmpty()) {
            return "workflow of " + r.workflowJobs().size() + " jobs " + r.jobState().map(Enum::name).orElse("RUNNING");
        }
        return r.jobId().map(j -> j + " " + r.jobState().map(Enum::name).orElse("?")).orElse(r.status().name());
    }

    private static void job(ScheduleStatus s, StringBuilder out) {
        out.append("  job       ").append(s.spec().job().kind() == io.drover.sdk.JobSpec.Kind.JVM
                ? SafeText.of(s.spec().job().entryClass().orElse("?") + " from "
                        + s.spec().job().artifactSha256().orElse("?").substring(0, 12))
                : SafeText.of(String.join(" ", s.spec().job().command())))
                .append(", ").append(s.spec().job().shardCount()).append(" shard(s)").append('\n');
    }

    static String show(ScheduleStatus s, Instant now) {
        ZoneId zone = s.spec().zone();
        StringBuilder out = new StringBuilder();
        out.append("schedule ").append(SafeText.of(s.name())).append(s.spec().paused() ? " (PAUSED)" : "").append('\n');
        out.append("  cron      ").append(SafeText.of(s.spec().cron())).append(" in ").append(zone).append('\n');
        if (s.spec().workflow().isPresent()) {
            var jobs = s.spec().workflow().get().jobs();
            out.append("  workflow  ").append(jobs.size()).append(" jobs: ")
                    .append(SafeText.of(String.join(", ", jobs.keySet()))).append('\n');
        } else {
            job(s, out);
        }
        out.append("  policies  misfire ").append(s.spec().misfire())
                .append(s.spec().misfire() == io.drover.sdk.MisfirePolicy.FIRE_ALL ? " (max " + s.spec().maxCatchUp() + ")" : "")
                .append(", overlap ").append(s.spec().overlap()).append('\n');
        out.append("  created   ").append(time(s.createdAt(), zone)).append('\n');
        out.append("  next      ").append(s.nextFireTimes().isEmpty() ? "-"
                : s.nextFireTimes().stream().map(t -> time(t, zone)).collect(Collectors.joining("\n            ")))
                .append('\n');
        if (s.history().isEmpty()) {
            out.append("  no runs yet\n");
            return out.toString();
        }
        TextTable table = new TextTable("SCHEDULED", "LAG", "STATUS", "JOB", "STATE", "DURATION", "NOTE");
        for (ScheduleRun r : s.history()) {
            table.row(time(r.scheduledAt(), zone), DurationText.age(r.lag()), r.status(), jobs(r),
                    r.jobState().map(Enum::name).orElse("-"),
                    r.duration().map(DurationText::age).orElse(!jobs(r).equals("-") && r.jobState().isEmpty()
                            ? DurationText.age(Duration.between(r.firedAt(), now)) + "+" : "-"),
                    r.note().orElse(""));
        }
        out.append(table.render());
        return out.toString();
    }
}
