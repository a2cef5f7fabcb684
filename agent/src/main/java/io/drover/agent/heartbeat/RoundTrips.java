package io.drover.agent.heartbeat;

import java.util.concurrent.atomic.LongAdder;

/**
 * Round trips of the heartbeats that report results (they never park, so their time is the link's and
 * the leader's: network, TLS, one group commit). Long polls are not counted: they wait for work by design.
 */
public final class RoundTrips {
    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private volatile long lastNanos = -1;

    void took(long n) {
        count.increment();
        nanos.add(n);
        lastNanos = n;
    }

    public long count() {
        return count.sum();
    }

    public long totalNanos() {
        return nanos.sum();
    }

    /** The latest round trip, or -1 before the first. */
    public long lastNanos() {
        return lastNanos;
    }
}
