package io.drover.agent.task;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt the coordinator asked this agent to run. {@code task} is the shard index; the
 * reduce task has {@code task == shardCount} and carries the shard results in shard order; those kept
 * as blobs on the coordinator are in {@code reduceInputBlobs} by shard instead (their entry is empty).
 */
public record TaskAssignment(long attemptId, String jobId, int task, Optional<String> shardParameter,
                             boolean reduceTask, List<byte[]> reduceInputs, Map<Integer, ResultBlob> reduceInputBlobs) {
    public TaskAssignment(long attemptId, String jobId, int task, Optional<String> shardParameter,
                          boolean reduceTask, List<byte[]> reduceInputs) {
        this(attemptId, jobId, task, shardParameter, reduceTask, reduceInputs, Map.of());
    }

    public TaskAssignment {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(shardParameter, "shardParameter");
        reduceInputs = List.copyOf(reduceInputs);
        reduceInputBlobs = Map.copyOf(reduceInputBlobs);
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
