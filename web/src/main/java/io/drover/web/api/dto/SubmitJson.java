package io.drover.web.api.dto;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/jobs}: a process job, as {@code drover submit -- PROGRAM ARGS...} takes it.
 * Only {@code command} is required; the rest default as the CLI's options do. Unknown fields are refused.
 *
 * @param command        the program and its arguments, word for word (never run by a shell)
 * @param shards         number of shards (default 1; ignored when {@code params} are given)
 * @param params         one shard per value
 * @param maxAttempts    attempts per task (default 3)
 * @param timeoutSeconds per-task timeout (default 0: none)
 * @param idempotencyKey the same key returns the same job; the same key with another spec is refused
 */
public record SubmitJson(List<String> command, String name, String owner, Integer shards, List<String> params,
                         List<String> args, Map<String, String> env, Map<String, String> secretEnv,
                         Map<String, String> labels, String workdir, Integer maxAttempts, Long timeoutSeconds,
                         Long lostAfterSeconds, Integer priority, Integer slotsPerTask, Long memoryMb,
                         String idempotencyKey) {
}
