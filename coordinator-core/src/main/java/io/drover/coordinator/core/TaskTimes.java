package io.drover.coordinator.core;

/**
 * A job's finished-task times, kept as a histogram of buckets 10% wide (a fixed 256 counters, however
 * many tasks the job has): the median comes out within 10%, which is all a straggler threshold of a
 * few medians needs, and adding a time costs the same for 10 tasks or 100,000.
 */
final class TaskTimes {
    private static final double STEP = 1.1;
    private static final int BUCKETS = 256; // 1.1^255 ms is far beyond any task time
    private final int[] counts = new int[BUCKETS];
    private int total;

    void add(long durationMs) {
        counts[bucket(Math.max(0, durationMs))]++;
        total++;
    }

    int count() {
        return total;
    }

    /** The median time in ms (a bucket's upper edge: never below the true median), or 0 with no times yet. */
    long medianMs() {
        if (total == 0) {
            return 0;
        }
        int half = (total + 1) / 2;
        int seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts[b];
            if (seen >= half) {
                return upperEdge(b);
            }
        }
        return upperEdge(BUCKETS - 1);
    }

    /** Bucket 0 holds 0..1 ms; bucket b > 0 holds times up to 1.1^b ms. */
    private static int bucket(long ms) {
        if (ms <= 1) {
            return 0;
        }
        int b = (int) Math.ceil(Math.log(ms) / Math.log(STEP));
        return Math.min(BUCKETS - 1, b);
    }

    private static long upperEdge(int b) {
        return b == 0 ? 1 : (long) Math.ceil(Math.pow(STEP, b));
    }
}
