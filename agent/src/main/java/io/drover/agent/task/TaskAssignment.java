package io.drover.agent.task;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt the coordinator asked this agent to run. {@code task} is the shard index; the
 * reduce task has {@code task == shardCount} and carries the shard results in shard order.
 */
public record TaskAssignment(long attemptId, String jobId, int task, Optional<String> shardParameter,
                             boolean reduceTask, List<byte[]> reduceInputs) {
    public TaskAssignment {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(shardParameter, "shardParameter");
        reduceInputs = List.copyOf(reduceInputs);
        if (task < 0) {
            throw new IllegalArgumentException("task must be >= 0, was " + task);
        }
    }

    public AttemptRef ref() {
        return new AttemptRef(attemptId, jobId, task);
    }

    @Override
    public String toString() {
        return "attempt " + attemptId + " (job " + jobId + (reduceTask ? ", reduce task " : ", shard ") + task + ")";
    }
}
