package io.drover.agent.jobcode;

import io.drover.sdk.ShardContext;
import io.drover.sdk.UpstreamResult;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one attempt of a JVM task gets to work with. {@code task} is the shard index; the reduce
 * task has {@code task == shardCount} and carries the shard results in shard order. {@code upstream}:
 * the ends and results of the jobs this job depends on.
 */
public record TaskInput(String jobId, long attemptId, int task, int shardCount, Optional<String> shardParameter,
                        List<String> arguments, boolean reduceTask, List<byte[]> reduceInputs,
                        List<UpstreamResult> upstream) {
    public TaskInput {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(shardParameter, "shardParameter");
        arguments = List.copyOf(arguments);
        reduceInputs = List.copyOf(reduceInputs);
        upstream = List.copyOf(upstream);
    }

    /** An attempt of a job without dependencies. */
    public TaskInput(String jobId, long attemptId, int task, int shardCount, Optional<String> shardParameter,
                     List<String> arguments, boolean reduceTask, List<byte[]> reduceInputs) {
        this(jobId, attemptId, task, shardCount, shardParameter, arguments, reduceTask, reduceInputs, List.of());
    }

    /** The same input with the ends and results of the jobs this job depends on. */
    public TaskInput withUpstream(List<UpstreamResult> results) {
        return new TaskInput(jobId, attemptId, task, shardCount, shardParameter, arguments, reduceTask, reduceInputs, results);
    }

    public ShardContext context() {
        return new ShardContext(jobId, attemptId, task, shardCount, shardParameter, arguments, upstream);
    }
}
