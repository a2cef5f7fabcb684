package io.drover.agent.testjobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

/** Shard i returns argument 0 bytes drawn from a generator seeded with i; reduce concatenates them. */
public class SizedResultJob implements ShardedJob<byte[]> {
    @Override
    public ResultCodec<byte[]> resultCodec() {
        return Codecs.bytes();
    }

    @Override
    public byte[] runShard(ShardContext context) {
        return bytes(context.shardIndex(), Integer.parseInt(context.arguments().get(0)));
    }

    @Override
    public byte[] reduce(List<byte[]> shardResults, ShardContext context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        shardResults.forEach(out::writeBytes);
        return out.toByteArray();
    }

    public static byte[] bytes(int shard, int size) {
        byte[] b = new byte[size];
        new Random(shard).nextBytes(b);
        return b;
    }
}
