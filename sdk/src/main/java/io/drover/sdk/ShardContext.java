package io.drover.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a shard knows about itself: its index among {@code shardCount} shards, its own parameter
 * (when the job was submitted with a list of shard parameters) and the job's arguments.
 * For the reduce step, {@code shardIndex == shardCount}. A job that depends on others
 * ({@link JobSpec.Builder#dependsOn}, workflows) reads their results through {@link #upstream()} and
 * {@link #upstreamResult(String, ResultCodec)}.
 *
 * @param jobId      the job's id
 * @param attemptId  this attempt's id (unique in the cluster; a retry has another)
 * @param shardIndex this shard's index, 0-based; {@code shardCount} for the reduce step
 * @param shardCount how many shards the job has
 * @param parameter  this shard's parameter, when the job was submitted with shard parameters
 * @param arguments  the job's arguments, the same for every shard
 * @param upstream   the ends and results of the jobs this job depends on, in the order it named them (empty: none)
 */
public record ShardContext(String jobId, long attemptId, int shardIndex, int shardCount,
                           Optional<String> parameter, List<String> arguments, List<UpstreamResult> upstream) {
    /**
     * Checks the index against the count; copies the arguments and upstream results.
     *
     * @param jobId as the record component
     * @param attemptId as the record component
     * @param shardIndex as the record component
     * @param shardCount as the record component
     * @param parameter as the record component
     * @param arguments as the record component
     * @param upstream as the record component
     * @throws IllegalArgumentException when the index is outside 0..shardCount
     */
    public ShardContext {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(parameter, "parameter");
        arguments = List.copyOf(arguments);
        upstream = List.copyOf(upstream);
        if (shardIndex < 0 || shardIndex > shardCount) {
            throw new IllegalArgumentException("shardIndex " + shardIndex + " outside 0.." + shardCount);
        }
    }

    /**
     * A context without upstream jobs (as before dependencies existed).
     *
     * @param jobId as the record component
     * @param attemptId as the record component
     * @param shardIndex as the record component
     * @param shardCount as the record component
     * @param parameter as the record component
     * @param arguments as the record component
     * @throws IllegalArgumentException when the index is outside 0..shardCount
     */
    public ShardContext(String jobId, long attemptId, int shardIndex, int shardCount, Optional<String> parameter,
                        List<String> arguments) {
        this(jobId, attemptId, shardIndex, shardCount, parameter, arguments, List.of());
    }

    /**
     * The result of the upstream job named {@code idOrName} (its job id, or its name when no upstream
     * job has that id and exactly one has that name), decoded with {@code codec}.
     *
     * @param idOrName the upstream job's id or name
     * @param codec how the upstream job encoded its result (usually its own {@code resultCodec()})
     * @param <T> the result's type
     * @return the decoded result; empty when that job has none (several shards and no reduce step, or unknown)
     * @throws IllegalArgumentException when this job does not depend on such a job, or several have that
     *         name, or the bytes are not a value of the codec
     * @throws java.io.UncheckedIOException when a large result's file cannot be read
     */
    public <T> Optional<T> upstreamResult(String idOrName, ResultCodec<T> codec) {
        return upstream(idOrName).decode(codec);
    }

    /**
     * The upstream job named {@code idOrName}: its job id, or its name when no upstream job has that id
     * and exactly one has that name.
     *
     * @param idOrName the upstream job's id or name
     * @return the upstream job's end and result
     * @throws IllegalArgumentException when this job does not depend on such a job, or several have that name
     */
    public UpstreamResult upstream(String idOrName) {
        Objects.requireNonNull(idOrName, "idOrName");
        List<UpstreamResult> named = new ArrayList<>();
        for (UpstreamResult u : upstream) {
            if (u.jobId().equals(idOrName)) {
                return u;
            }
            if (u.name().filter(idOrName::equals).isPresent()) {
                named.add(u);
            }
        }
        if (named.size() == 1) {
            return named.get(0);
        }
        if (named.isEmpty()) {
            throw new IllegalArgumentException("job " + jobId + " depends on no job with id or name '" + idOrName
                    + "'; its upstream jobs: " + upstream.stream().map(UpstreamResult::toString).toList());
        }
        throw new IllegalArgumentException("job " + jobId + " depends on " + named.size() + " jobs named '" + idOrName
                + "'; name one by its id");
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
