package io.drover.coordinator.engine;

import java.util.concurrent.atomic.LongAdder;

/** Counters the core loop keeps; read by the metrics endpoint and benchmarks. */
public final class LoopMetrics {
    private final LongAdder events = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder factsCommitted = new LongAdder();
    private final LongAdder commitNanos = new LongAdder();
    /** Assign-to-commit latency per task, 1 ms buckets up to 60 s (the last bucket is "more"). */
    private final java.util.concurrent.atomic.AtomicLongArray dispatch = new java.util.concurrent.atomic.AtomicLongArray(60_001);

    private final LongAdder compactions = new LongAdder();

    void compacted(long nanos) {
        compactions.increment();
    }

    public long compactions() {
        return compactions.sum();
    }

    private final LongAdder turns = new LongAdder();
    private final LongAdder steps = new LongAdder();

    /** A piece of long work done inside one turn (part of a compaction written): busy, not stuck. */
    void stepped() {
        steps.increment();
    }

    /** Pieces of long work done inside turns: the watchdog's sign of life while one turn takes long. */
    public long steps() {
        return steps.sum();
    }

    /** Called once per turn of the loop, idle turns (ticks) included. */
    void eventsHandled(int n) {
        events.add(n);
        turns.increment();
    }

    /** Turns of the core loop so far: the watchdog's sign that the loop is alive. */
    public long turns() {
        return turns.sum();
    }

    void committed(int facts, long nanos) {
        commits.increment();
        factsCommitted.add(facts);
        commitNanos.add(nanos);
    }

    void dispatched(long millis) {
        dispatch.incrementAndGet((int) Math.max(0, Math.min(60_000, millis)));
    }

    /** The q-quantile (0..1) of dispatch latency in ms, or -1 when nothing was dispatched. */
    public long dispatchQuantileMillis(double q) {
        long total = 0;
        for (int i = 0; i < dispatch.length(); i++) {
            total += dispatch.get(i);
        }
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < dispatch.length(); i++) {
            seen += dispatch.get(i);
            if (seen >= rank) {
                return i;
            }
        }
        return dispatch.length() - 1;
    }

    public long events() {
        return events.sum();
    }

    public long commits() {
        return commits.sum();
    }

    public long factsCommitted() {
        return factsCommitted.sum();
    }

    public long commitNanos() {
        return commitNanos.sum();
    }
}
