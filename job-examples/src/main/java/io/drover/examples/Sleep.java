package io.drover.examples;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sleeps argument 0 milliseconds (default 100) and returns its shard index: the "N x 100 ms"
 * workload for makespan and failure benchmarks. Reduce returns the number of shards seen.
 */
public final class Sleep implements ShardedJob<Long> {
    @Override
    public ResultCodec<Long> resultCodec() {
        return Codecs.int64();
    }

    @Override
    public Long runShard(ShardContext context) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(Long.parseLong(context.argument(0, "100")));
        return (long) context.shardIndex();
    }

    @Override
    public Long reduce(List<Long> shardResults, ShardContext context) {
        return (long) shardResults.size();
    }
}
