package io.drover.coordinator.engine;

import java.util.concurrent.atomic.LongAdder;

/** Counters the core loop keeps; read by the metrics endpoint and benchmarks. */
public final class LoopMetrics {
    private final LongAdder events = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder factsCommitted = new LongAdder();
    private final LongAdder commitNanos = new LongAdder();

    void eventsHandled(int n) {
        events.add(n);
    }

    void committed(int facts, long nanos) {
        commits.increment();
        factsCommitted.add(facts);
        commitNanos.add(nanos);
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
