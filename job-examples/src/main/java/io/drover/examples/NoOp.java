package io.drover.examples;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.List;

/** Does nothing and returns an empty result: measures scheduling overhead in benchmarks. */
public final class NoOp implements ShardedJob<byte[]> {
    private static final byte[] EMPTY = new byte[0];

    @Override
    public ResultCodec<byte[]> resultCodec() {
        return Codecs.bytes();
    }

    @Override
    public byte[] runShard(ShardContext context) {
        return EMPTY;
    }

    @Override
    public byte[] reduce(List<byte[]> shardResults, ShardContext context) {
        return EMPTY;
    }
}
