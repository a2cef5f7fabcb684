package io.drover.bench;

import io.drover.coordinator.core.Constraint;
import io.drover.coordinator.core.Effects;
import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.core.Scheduler;
import io.drover.coordinator.core.SchedulerConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pure core's assignment rate, no network or store: agents heartbeat in turn, each reporting
 * its previous assignments done and taking new ones, until every task of the submitted jobs has
 * committed. {@code mode}: plain jobs, jobs with two label constraints (half the agents qualify),
 * or jobs spread across the agents' four sites.
 */
public final class PlacementBench {
    public enum Mode { PLAIN, CONSTRAINT, SPREAD }

    /** Tasks committed per second of wall time, and the figures behind it. */
    public record Result(Mode mode, long tasks, long heartbeats, double seconds) {
        public double tasksPerSecond() {
            return tasks / seconds;
        }
    }

    private PlacementBench() {
    }

    public static Result run(Mode mode, int agents, int slots, int jobs, int tasksPerJob) {
        long now = 1_000;
        long requests = 0;
        Effects boot = new Effects();
        Scheduler core = new Scheduler(new SchedulerConfig(3_000, 10_000, 0, 100, 1_000, 100, 1_000), 1, List.of(), now, boot);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            String id = "agent-" + i;
            ids.add(id);
            Map<String, String> labels = new HashMap<>();
            labels.put("site", "s" + (i % 4));
            if (i % 2 == 0) {
                labels.put("gpu", i % 4 == 0 ? "a100" : "h100");
            }
            core.apply(new Event.RegisterAgent(++requests, now, id, "h-" + id, slots, labels), new Effects());
        }
        for (int j = 0; j < jobs; j++) {
            core.apply(new Event.SubmitJob(++requests, now, job(mode, j, tasksPerJob)), new Effects());
        }
        long total = (long) jobs * tasksPerJob;
        Map<String, List<Response.Assignment>> held = new HashMap<>();
        long committed = 0;
        long heartbeats = 0;
        long started = System.nanoTime();
        while (committed < total) {
            now++;
            boolean progress = false;
            for (String id : ids) {
                List<Event.Report> reports = new ArrayList<>();
                for (Response.Assignment a : held.getOrDefault(id, List.of())) {
                    reports.add(new Event.Report(a.attemptId(), a.jobId(), a.task(), Event.Outcome.SUCCEEDED, new byte[] {1}, null));
                }
                committed += reports.size();
                progress |= !reports.isEmpty();
                Effects out = new Effects();
                long request = ++requests;
                core.apply(new Event.Heartbeat(request, now, id, reports, List.of(), false, 0), out);
                heartbeats++;
                for (Effects.Reply r : out.replies()) {
                    if (r.requestId() == request && r.response() instanceof Response.HeartbeatAnswer answer) {
                        held.put(id, answer.assignments());
                        progress |= !answer.assignments().isEmpty();
                    }
                }
            }
            if (!progress) {
                throw new IllegalStateException(mode + ": no progress with " + committed + " of " + total + " committed");
            }
        }
        return new Result(mode, total, heartbeats, (System.nanoTime() - started) / 1e9);
    }

    private static JobDefinition job(Mode mode, int j, int tasks) {
        JobDefinition d = new JobDefinition("pending", "bench", j % 2 == 0 ? "alice" : "bob", "bench-" + j, "PROCESS", null,
                0, null, List.of("true"), tasks, List.of(), List.of(), 1, 3, 0, false, 0, Map.of(), 0, 0);
        return switch (mode) {
            case PLAIN -> d;
            case CONSTRAINT -> d.withPlacement(List.of(new Constraint("gpu", Constraint.Op.IN, List.of("a100", "h100")),
                    new Constraint("site", Constraint.Op.NE, List.of("s9"))), null);
            case SPREAD -> d.withPlacement(List.of(), "site");
        };
    }
}
