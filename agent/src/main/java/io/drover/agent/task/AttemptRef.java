package io.drover.agent.task;

import java.util.Objects;

/** Names an attempt: which job and task it belongs to. */
public record AttemptRef(long attemptId, String jobId, int task) {
    public AttemptRef {
        Objects.requireNonNull(jobId, "jobId");
    }
}
