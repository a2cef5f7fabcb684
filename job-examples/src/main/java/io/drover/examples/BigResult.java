package io.drover.examples;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Returns large results, to show that results need no special handling: shard i returns
 * {@code arguments[0]} bytes (a size such as {@code 3MiB} or {@code 1048576}) drawn from a generator seeded
 * with i, and the reduce step returns the shard results concatenated in shard order. Results over 64 KiB
 * are kept on the coordinator as blobs and streamed to the reduce task and to clients.
 */
public final class BigResult implements ShardedJob<byte[]> {

    @Override
    public ResultCodec<byte[]> resultCodec() {
        return Codecs.bytes();
    }

    @Override
    public byte[] runShard(ShardContext context) {
        if (context.arguments().isEmpty()) {
            throw new IllegalArgumentException("BigResult needs the size of each shard's result, e.g. 3MiB");
        }
        return bytes(context.shardIndex(), size(context.arguments().get(0)));
    }

    @Override
    public byte[] reduce(List<byte[]> shardResults, ShardContext context) {
        long total = 0;
        for (byte[] r : shardResults) {
            total += r.length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the shard results add up to " + total + " bytes: too many for one array");
        }
        byte[] out = new byte[(int) total];
        int at = 0;
        for (byte[] r : shardResults) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }

    /** What shard {@code shard} returns for {@code size} bytes (tests compute the expected result with it). */
    public static byte[] bytes(int shard, int size) {
        byte[] out = new byte[size];
        SplittableRandom random = new SplittableRandom(shard);
        for (int i = 0; i < size; i += 8) {
            long v = random.nextLong();
            for (int b = 0; b < 8 && i + b < size; b++) {
                out[i + b] = (byte) (v >>> (8 * b));
            }
        }
        return out;
    }

    /** A byte count, plain or with a KiB / MiB suffix. */
    static int size(String text) {
        String t = text.trim();
        long factor = 1;
        if (t.endsWith("MiB")) {
            factor = 1024 * 1024;
            t = t.substring(0, t.length() - 3);
        } else if (t.endsWith("KiB")) {
            factor = 1024;
            t = t.substring(0, t.length() - 3);
        }
        long n = Long.parseLong(t.trim()) * factor;
        if (n < 1 || n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("result size " + text + " outside 1 byte..2 GiB");
        }
        return (int) n;
    }
}
