package io.drover.examples;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.List;

/**
 * For tests of failure handling: the shard whose index is argument 0 (default 0) throws on every
 * attempt; every other shard returns its index. Reduce sums the indices.
 */
public final class FailingShard implements ShardedJob<Long> {

    @Override
    public ResultCodec<Long> resultCodec() {
        return Codecs.int64();
    }

    @Override
    public Long runShard(ShardContext context) {
        int failing = Integer.parseInt(context.argument(0, "0"));
        if (context.shardIndex() == failing) {
            throw new IllegalStateException("shard " + failing + " fails on purpose (FailingShard)");
        }
        return (long) context.shardIndex();
    }

    @Override
    public Long reduce(List<Long> shardResults, ShardContext context) {
        return shardResults.stream().mapToLong(Long::longValue).sum();
    }
}
