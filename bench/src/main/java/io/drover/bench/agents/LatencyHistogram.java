package io.drover.bench.agents;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in log-linear buckets (16 per power of two of microseconds, so within about 4%), safe
 * to record from many threads without a lock. Values below a microsecond count as one; above
 * about 9 minutes as the top bucket.
 */
public final class LatencyHistogram {
    private static final int SUB_BUCKETS = 16;
    private static final int POWERS = 30; // 2^30 us ~ 18 min
    private final AtomicLongArray counts = new AtomicLongArray(POWERS * SUB_BUCKETS);

    public void recordNanos(long nanos) {
        counts.incrementAndGet(bucket(Math.max(1, nanos / 1000)));
    }

    static int bucket(long micros) {
        int power = 63 - Long.numberOfLeadingZeros(micros); // floor(log2)
        if (power < 4) {
            return (int) micros; // 1..15 us: exact, one bucket each
        }
        int sub = (int) ((micros >>> (power - 4)) & (SUB_BUCKETS - 1));
        int index = (power - 3) * SUB_BUCKETS + sub;
        return Math.min(index, POWERS * SUB_BUCKETS - 1);
    }

    /** The largest value (microseconds) that lands in bucket {@code index}: percentiles err high, never low. */
    static long upperMicros(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int power = index / SUB_BUCKETS + 3;
        long sub = index % SUB_BUCKETS;
        return ((SUB_BUCKETS + sub + 1) << (power - 4)) - 1;
    }

    public long count() {
        long n = 0;
        for (int i = 0; i < counts.length(); i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The value at quantile {@code q} (0..1) in milliseconds; 0 with nothing recorded. */
    public double quantileMillis(double q) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return upperMicros(i) / 1000.0;
            }
        }
        return upperMicros(counts.length() - 1) / 1000.0;
    }

    public void reset() {
        for (int i = 0; i < counts.length(); i++) {
            counts.set(i, 0);
        }
    }
}
