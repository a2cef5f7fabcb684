package io.drover.examples;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.BitSet;
import java.util.List;

/**
 * Counts the primes in {@code [2, N)}, N = argument 0 (default 10,000,000). Shard i of n takes the
 * i-th contiguous slice of the range and sieves it with the base primes up to sqrt(N) (a segmented
 * sieve), so every shard does similar work in memory proportional to its slice. Reduce sums.
 */
public final class PrimeCount implements ShardedJob<Long> {
    public static final long DEFAULT_N = 10_000_000;

    @Override
    public ResultCodec<Long> resultCodec() {
        return Codecs.int64();
    }

    @Override
    public Long runShard(ShardContext context) {
        long n = Long.parseLong(context.argument(0, Long.toString(DEFAULT_N)));
        if (n < 2 || n > 1L << 40) {
            throw new IllegalArgumentException("N must be 2..2^40, was " + n);
        }
        long span = n - 2;
        long from = 2 + span * context.shardIndex() / context.shardCount();
        long to = 2 + span * (context.shardIndex() + 1) / context.shardCount();
        if (to - from > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("a shard's slice must stay under 2^31 numbers; use more shards");
        }
        return countPrimes(from, to);
    }

    @Override
    public Long reduce(List<Long> shardResults, ShardContext context) {
        return shardResults.stream().mapToLong(Long::longValue).sum();
    }

    /** Number of primes p with {@code from <= p < to}; {@code 2 <= from <= to}, slice under 2^31. */
    static long countPrimes(long from, long to) {
        if (to <= from) {
            return 0;
        }
        int limit = (int) Math.sqrt((double) to) + 1;
        BitSet small = new BitSet(limit + 1); // set = composite
        BitSet slice = new BitSet(Math.toIntExact(to - from)); // set = composite
        for (int p = 2; p <= limit; p++) {
            if (small.get(p)) {
                continue;
            }
            for (long m = (long) p * p; m <= limit; m += p) {
                small.set((int) m);
            }
            long first = Math.max((long) p * p, (from + p - 1) / p * p);
            for (long m = first; m < to; m += p) {
                slice.set((int) (m - from));
            }
        }
        return (to - from) - slice.cardinality();
    }
}
