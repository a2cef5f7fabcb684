package io.drover.agent.jobcode;

import io.drover.sdk.ShardContext;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one attempt of a JVM task gets to work with. {@code task} is the shard index; the reduce
 * task has {@code task == shardCount} and carries the shard results in shard order.
 */
public record TaskInput(String jobId, long attemptId, int task, int shardCount, Optional<String> shardParameter,
                        List<String> arguments, boolean reduceTask, List<byte[]> reduceInputs) {
    public TaskInput {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(shardParameter, "shardParameter");
        arguments = List.copyOf(arguments);
        reduceInputs = List.copyOf(reduceInputs);
    }

    public ShardContext context() {
        return new ShardContext(jobId, attemptId, task, shardCount, shardParameter, arguments);
    }
}
