package io.drover.agent.testjobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;

/** Returns a result over the wire limit. */
public class HugeResultJob implements ShardedJob<byte[]> {
    @Override
    public ResultCodec<byte[]> resultCodec() {
        return Codecs.bytes();
    }

    @Override
    public byte[] runShard(ShardContext context) {
        return new byte[100_000];
    }
}
