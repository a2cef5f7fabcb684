package io.drover.agent.task;

import java.util.Objects;
import java.util.Optional;

/**
 * The end of a job that a job depends on, as its tasks are handed it: the upstream job's id, name
 * and final state, and its result (reduce output or single shard's; empty when it has none), either
 * inline or, when too large for that, as a blob on the coordinator ({@code resultBlob}, fetched by the
 * agent for each attempt that runs).
 */
public record UpstreamResult(String jobId, Optional<String> name, Optional<String> state, Optional<byte[]> result,
                             Optional<ResultBlob> resultBlob) {
    public UpstreamResult {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(resultBlob, "resultBlob");
        if (result.isPresent() && resultBlob.isPresent()) {
            throw new IllegalArgumentException("upstream job " + jobId + " has both an inline result and a result blob");
        }
    }

    /** An upstream end with an inline result or none. */
    public UpstreamResult(String jobId, Optional<String> name, Optional<String> state, Optional<byte[]> result) {
        this(jobId, name, state, result, Optional.empty());
    }
}
