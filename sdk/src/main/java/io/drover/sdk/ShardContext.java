package io.drover.sdk;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a shard knows about itself: its index among {@code shardCount} shards, its own parameter
 * (when the job was submitted with a list of shard parameters) and the job's arguments.
 * For the reduce step, {@code shardIndex == shardCount}.
 *
 * @param jobId      the job's id
 * @param attemptId  this attempt's id (unique in the cluster; a retry has another)
 * @param shardIndex this shard's index, 0-based; {@code shardCount} for the reduce step
 * @param shardCount how many shards the job has
 * @param parameter  this shard's parameter, when the job was submitted with shard parameters
 * @param arguments  the job's arguments, the same for every shard
 */
public record ShardContext(String jobId, long attemptId, int shardIndex, int shardCount,
                           Optional<String> parameter, List<String> arguments) {
    /**
     * Checks the index against the count; copies the arguments.
     *
     * @param jobId as the record component
     * @param attemptId as the record component
     * @param shardIndex as the record component
     * @param shardCount as the record component
     * @param parameter as the record component
     * @param arguments as the record component
     * @throws IllegalArgumentException when the index is outside 0..shardCount
     */
    public ShardContext {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(parameter, "parameter");
        arguments = List.copyOf(arguments);
        if (shardIndex < 0 || shardIndex > shardCount) {
            throw new IllegalArgumentException("shardIndex " + shardIndex + " outside 0.." + shardCount);
        }
    }

    /**
     * The job argument at {@code index}, or {@code fallback} when there are fewer arguments.
     *
     * @param index 0-based
     * @param fallback what to return when there is no such argument
     * @return the argument or the fallback
     */
    public String argument(int index, String fallback) {
        return index < arguments.size() ? arguments.get(index) : fallback;
    }
}
