package io.drover.web.api;

import io.drover.http.HttpProblem;
import io.drover.http.Request;
import io.drover.http.Response;
import io.drover.http.Routes;
import io.drover.sdk.TaskStream;
import io.drover.web.api.dto.TaskStreamJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code GET /api/v1/jobs/{id}/stream[?buckets=1..200][&attempts=0..2000][&maxLanes=1..10000]}: the job's task stream,
 * aggregated by the leader (lanes by time buckets, never one row per attempt of a large job), through the SDK with
 * the caller's token ({@code jobs.read}). With {@code maxLanes}, a job that ran on more slots than that gets one lane
 * per agent, its slots summed: what the console draws for a large grid, in a hundredth of the JSON. Callers with the
 * same token asking the same within a second share one answer, serialized once ({@link SharedReads}).
 */
public final class TaskStreamRoute {
    static final int MAX_BUCKETS = 200;
    static final int MAX_ATTEMPTS = 2_000;
    static final int MAX_LANES = 10_000;

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
        int maxLanes = Params.intParam(r, "maxLanes", MAX_LANES, 1, MAX_LANES);
        api.identify(r);
        return Response.json(200, read(api, r.bearerToken(), id, buckets, attempts, maxLanes));
    }

    /**
     * The stream as JSON, shared with every caller (this route or a job's event stream) that asks the same with the
     * same token within a second. The caller was identified and its bounds validated.
     */
    static byte[] read(ApiGateway api, Optional<String> token, String id, int buckets, int attempts, int maxLanes)
            throws HttpProblem {
        return api.shared().get(token, "stream " + id + ' ' + buckets + ' ' + attempts + ' ' + maxLanes, () -> {
            Optional<TaskStream> stream = api.callChecked(token, 404, c -> c.taskStream(id, buckets, attempts));
            TaskStreamJson json = stream.map(s -> grouped(json(s), maxLanes)).orElseGet(() -> new TaskStreamJson(id, false,
                    0, 1, 0, 0, false, api.context().clock().millis(), 0, false, List.of(), null));
            return api.json().write(json);
        });
    }

    private static Map<String, List<Integer>> occurring(Map<String, List<Integer>> counts) {
        Map<String, List<Integer>> out = new TreeMap<>();
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
                        a.end().map(Instant::toEpochMilli).orElse(null), a.outcome()))
                .toList()).orElse(null);
        return new TaskStreamJson(s.jobId(), true, s.from().toEpochMilli(), s.bucketMillis(), s.buckets(),
                s.totalAttempts(), s.truncated(), s.generatedAt().toEpochMilli(), lanes.size(), false, lanes, attempts);
    }

    /** {@code s} with one lane per agent (slot -1, counts summed) when it has more than {@code maxLanes} lanes. */
    static TaskStreamJson grouped(TaskStreamJson s, int maxLanes) {
        if (s.lanes().size() <= maxLanes) {
            return s;
        }
        Map<String, Map<String, int[]>> sums = new LinkedHashMap<>();
        for (TaskStreamJson.Lane l : s.lanes()) {
            Map<String, int[]> agent = sums.computeIfAbsent(l.agent(), a -> new TreeMap<>());
            l.counts().forEach((outcome, row) -> {
                int[] sum = agent.computeIfAbsent(outcome, o -> new int[s.buckets()]);
                for (int b = 0; b < Math.min(sum.length, row.size()); b++) {
                    sum[b] += row.get(b);
                }
            });
        }
        List<TaskStreamJson.Lane> lanes = new ArrayList<>(sums.size());
        sums.forEach((agent, counts) -> {
            Map<String, List<Integer>> lists = new TreeMap<>();
            counts.forEach((outcome, sum) -> lists.put(outcome, java.util.Arrays.stream(sum).boxed().toList()));
            lanes.add(new TaskStreamJson.Lane(agent, -1, lists));
        });
        return new TaskStreamJson(s.job(), s.available(), s.fromMs(), s.bucketMillis(), s.buckets(), s.totalAttempts(),
                s.truncated(), s.generatedAtMs(), s.slots(), true, lanes, s.attempts());
    }
}
