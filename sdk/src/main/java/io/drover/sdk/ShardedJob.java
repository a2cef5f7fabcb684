package io.drover.sdk;

import java.util.List;

/**
 * Job code: a computation split into shards that agents run independently, with an optional
 * reduce step that runs once, as a final task, over all shard results in shard order.
 *
 * <p>Implementations need a public no-argument constructor. An instance may be reused for
 * several shards of the same job on one agent, possibly from several threads at once, so keep
 * per-shard state in local variables. Results cross the network through {@link #resultCodec()},
 * never through Java serialization.
 *
 * @param <R> the type of a shard's (and the reduce step's) result
 */
public interface ShardedJob<R> {

    /**
     * How results of this job are turned into bytes and back.
     *
     * @return the codec; its {@link ResultCodec#name()} tells clients how to print results
     */
    ResultCodec<R> resultCodec();

    /**
     * Runs one shard. Like {@link java.util.concurrent.Callable#call()} this may throw anything:
     * the attempt then fails with the exception's text and is retried per the job's policy.
     *
     * @param context which shard this is, and the job's arguments
     * @return the shard's result, never null
     * @throws Exception anything: the attempt fails and is retried
     */
    R runShard(ShardContext context) throws Exception;

    /**
     * Combines all shard results (in shard order) into the job's result. Runs only for jobs
     * submitted with {@link JobSpec.Builder#reduce(boolean)} set.
     *
     * @param shardResults every shard's result, in shard order
     * @param context the reduce step's context ({@code shardIndex == shardCount})
     * @return the job's result, never null
     * @throws Exception anything: the attempt fails and is retried
     */
    default R reduce(List<R> shardResults, ShardContext context) throws Exception {
        throw new UnsupportedOperationException(getClass().getName() + " does not implement reduce");
    }
}
