package io.drover.agent.testjobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.List;

/** Shard i yields i*i plus the job's first argument; reduce sums. */
public class SquareJob implements ShardedJob<Long> {
    @Override
    public ResultCodec<Long> resultCodec() {
        return Codecs.int64();
    }

    @Override
    public Long runShard(ShardContext context) {
        long offset = Long.parseLong(context.argument(0, "0"));
        return (long) context.shardIndex() * context.shardIndex() + offset;
    }

    @Override
    public Long reduce(List<Long> shardResults, ShardContext context) {
        return shardResults.stream().mapToLong(Long::longValue).sum();
    }
}
