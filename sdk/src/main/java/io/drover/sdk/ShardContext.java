package io.drover.sdk;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a shard knows about itself: its index among {@code shardCount} shards, its own parameter
 * (when the job was submitted with a list of shard parameters) and the job's arguments.
 * For the reduce step, {@code shardIndex == shardCount}.
 */
public record ShardContext(String jobId, long attemptId, int shardIndex, int shardCount,
                           Optional<String> parameter, List<String> arguments) {
    public ShardContext {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(parameter, "parameter");
        arguments = List.copyOf(arguments);
        if (shardIndex < 0 || shardIndex > shardCount) {
            throw new IllegalArgumentException("shardIndex " + shardIndex + " outside 0.." + shardCount);
        }
    }

    /** The job argument at {@code index}, or {@code fallback} when there are fewer arguments. */
    public String argument(int index, String fallback) {
        return index < arguments.size() ? arguments.get(index) : fallback;
    }
}
