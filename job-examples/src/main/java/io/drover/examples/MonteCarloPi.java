package io.drover.examples;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Estimates pi by throwing random points at the unit square and counting those inside the
 * quarter circle. Argument 0: samples per shard (default 1,000,000). A shard's result is
 * {@code [hits, samples]}; reduce sums them, so the estimate {@code 4 * hits / samples} is exact
 * integer arithmetic up to the final division. Each shard's generator is seeded from the job id
 * and the shard index, so re-running an attempt gives the same answer.
 */
public final class MonteCarloPi implements ShardedJob<long[]> {
    public static final long DEFAULT_SAMPLES = 1_000_000;

    @Override
    public ResultCodec<long[]> resultCodec() {
        return Codecs.int64Array();
    }

    @Override
    public long[] runShard(ShardContext context) {
        long samples = Long.parseLong(context.argument(0, Long.toString(DEFAULT_SAMPLES)));
        if (samples < 1) {
            throw new IllegalArgumentException("samples per shard must be positive, was " + samples);
        }
        SplittableRandom random = new SplittableRandom(seed(context.jobId(), context.shardIndex()));
        long hits = 0;
        for (long i = 0; i < samples; i++) {
            double x = random.nextDouble();
            double y = random.nextDouble();
            if (x * x + y * y <= 1.0) {
                hits++;
            }
        }
        return new long[] {hits, samples};
    }

    @Override
    public long[] reduce(List<long[]> shardResults, ShardContext context) {
        long hits = 0;
        long samples = 0;
        for (long[] r : shardResults) {
            hits += r[0];
            samples += r[1];
        }
        return new long[] {hits, samples};
    }

    /** 4 * hits / samples. */
    public static double estimate(long[] hitsAndSamples) {
        return 4.0 * hitsAndSamples[0] / hitsAndSamples[1];
    }

    static long seed(String jobId, int shard) {
        return jobId.hashCode() * 0x9E3779B97F4A7C15L + shard;
    }
}
