package io.drover.agent.task;

import java.util.Objects;
import java.util.Optional;

/**
 * The end of a job that a job depends on, as its tasks are handed it: the upstream job's id, name
 * and final state, and its result (reduce output or single shard's; empty when it has none).
 */
public record UpstreamResult(String jobId, Optional<String> name, Optional<String> state, Optional<byte[]> result) {
    public UpstreamResult {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(result, "result");
    }
}
