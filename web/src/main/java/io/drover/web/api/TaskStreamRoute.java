package io.drover.web.api;

import io.drover.http.HttpProblem;
import io.drover.http.Request;
import io.drover.http.Response;
import io.drover.http.Routes;
import io.drover.sdk.TaskStream;
import io.drover.web.api.dto.TaskStreamJson;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/v1/jobs/{id}/stream[?buckets=1..200][&attempts=0..2000]}: the job's task stream, aggregated by the
 * leader (lanes by time buckets, never one row per attempt of a large job), through the SDK with the caller's
 * token ({@code jobs.read}).
 */
public final class TaskStreamRoute {
    static final int MAX_BUCKETS = 200;
    static final int MAX_ATTEMPTS = 2_000;

    private final ApiGateway api;

    public TaskStreamRoute(ApiGateway api) {
        this.api = api;
    }

    /** Adds the route (call before any catch-all route); returns it as "METHOD /pattern", as ApiGateway does. */
    public List<String> install(Routes routes) {
        String pattern = ApiGateway.PREFIX + "/jobs/{id}/stream";
        routes.get(pattern, this::stream);
        return List.of("GET " + pattern);
    }

    private Response stream(Request r) throws HttpProblem {
        String id = r.pathParam("id");
        int buckets = Params.intParam(r, "buckets", MAX_BUCKETS, 1, MAX_BUCKETS);
        int attempts = Params.intParam(r, "attempts", MAX_ATTEMPTS, 0, MAX_ATTEMPTS);
        Optional<TaskStream> stream = api.call(r, 404, c -> c.taskStream(id, buckets, attempts));
        return api.ok(stream.map(TaskStreamRoute::json).orElseGet(() -> new TaskStreamJson(id, false, 0, 1, 0, 0, false,
                api.context().clock().millis(), List.of(), null)));
    }

    private static java.util.Map<String, List<Integer>> occurring(java.util.Map<String, List<Integer>> counts) {
        java.util.Map<String, List<Integer>> out = new java.util.TreeMap<>();
        counts.forEach((outcome, row) -> {
            if (row.stream().anyMatch(n -> n > 0)) {
                out.put(outcome, row);
            }
        });
        return out;
    }

    static TaskStreamJson json(TaskStream s) {
        // Outcomes that never occur in a lane are left out: a finished job's lanes carry one list each, not six.
        List<TaskStreamJson.Lane> lanes = s.lanes().stream()
                .map(l -> new TaskStreamJson.Lane(l.agentId(), l.slot(), occurring(l.counts()))).toList();
        List<TaskStreamJson.Attempt> attempts = s.attempts().map(list -> list.stream()
                .map(a -> new TaskStreamJson.Attempt(a.task(), a.attempt(), a.agentId(), a.slot(), a.start().toEpochMilli(),
                        a.end().map(java.time.Instant::toEpochMilli).orElse(null), a.outcome()))
                .toList()).orElse(null);
        return new TaskStreamJson(s.jobId(), true, s.from().toEpochMilli(), s.bucketMillis(), s.buckets(),
                s.totalAttempts(), s.truncated(), s.generatedAt().toEpochMilli(), lanes, attempts);
    }
}
