package io.drover.web.api;

import io.drover.http.HttpProblem;
import io.drover.sdk.InvalidJobException;
import io.drover.sdk.JobSpec;
import io.drover.web.api.dto.SubmitJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The job spec a {@code POST /api/v1/jobs} body describes, with the CLI's defaults; the SDK's builder validates
 * it as for {@code drover submit} (every problem named in one message), and the coordinator checks it again.
 */
final class SubmitSpecs {
    private SubmitSpecs() {
    }

    static JobSpec spec(SubmitJson b) throws HttpProblem {
        if (b.command() == null || b.command().isEmpty()) {
            throw HttpProblem.badRequest("field \"command\" is required: the program and its arguments, "
                    + "e.g. [\"sh\", \"-c\", \"echo $DROVER_SHARD_INDEX\"]");
        }
        noNulls("command", b.command());
        noNulls("params", b.params());
        noNulls("args", b.args());
        noNulls("env", b.env());
        noNulls("secretEnv", b.secretEnv());
        noNulls("labels", b.labels());
        try {
            JobSpec.Builder s = JobSpec.process(b.command());
            s.name(b.name() != null ? b.name() : b.command().get(0));
            if (b.owner() != null) {
                s.owner(b.owner());
            }
            if (b.shards() != null) {
                s.shards(b.shards());
            }
            s.shardParameters(orEmpty(b.params())).arguments(orEmpty(b.args()))
                    .environment(orEmpty(b.env())).secretEnvironment(orEmpty(b.secretEnv()))
                    .requiredLabels(orEmpty(b.labels())).workingDirectory(b.workdir())
                    .maxAttempts(b.maxAttempts() != null ? b.maxAttempts() : 3)
                    .taskTimeout(Duration.ofSeconds(nonNegative("timeoutSeconds", b.timeoutSeconds())))
                    .priority(b.priority() != null ? b.priority() : 0)
                    .slotsPerTask(b.slotsPerTask() != null ? b.slotsPerTask() : 1)
                    .memoryMb(b.memoryMb() != null ? b.memoryMb() : 0);
            if (b.lostAfterSeconds() != null) {
                s.lostAfter(Duration.ofSeconds(nonNegative("lostAfterSeconds", b.lostAfterSeconds())));
            }
            if (b.idempotencyKey() != null) {
                s.idempotencyKey(b.idempotencyKey());
            }
            return s.build();
        } catch (InvalidJobException | IllegalArgumentException e) {
            throw HttpProblem.badRequest(e.getMessage() == null ? "invalid job spec" : e.getMessage());
        }
    }

    private static long nonNegative(String field, Long value) throws HttpProblem {
        if (value == null) {
            return 0;
        }
        if (value < 0 || value > Duration.ofDays(365).toSeconds()) {
            throw HttpProblem.badRequest("field \"" + field + "\" takes seconds, 0.." + Duration.ofDays(365).toSeconds());
        }
        return value;
    }

    private static void noNulls(String field, List<String> list) throws HttpProblem {
        if (list != null && list.stream().anyMatch(w -> w == null)) {
            throw HttpProblem.badRequest("field \"" + field + "\" must not hold null");
        }
    }

    private static void noNulls(String field, Map<String, String> map) throws HttpProblem {
        if (map != null && map.values().stream().anyMatch(v -> v == null)) {
            throw HttpProblem.badRequest("field \"" + field + "\" must not hold null values");
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
