package io.drover.protocol;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the connections of one process part (an agent, a client) learn about coordinator endpoints
 * and share: which endpoints did not answer in time (suspect for a while: a short hello, tried last),
 * which speak the previous release's protocol, and the threads that probe for a new leader while a
 * call is stuck. When an agent's report link finds the leader frozen, its poll and fetch links need
 * not find out again. Owned and closed by whoever made it; thread-safe.
 */
public final class EndpointMemory implements AutoCloseable {
    /** How long an endpoint that did not answer in time stays suspect. */
    private static final long SUSPECT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Endpoint → nanoTime until which it is suspect. */
    private final Map<Endpoint, Long> suspects = new ConcurrentHashMap<>();
    /** Endpoints last found speaking the previous release's protocol; each is logged once. */
    private final Set<Endpoint> previousRelease = ConcurrentHashMap.newKeySet();
    private final String threadName;
    private ScheduledExecutorService probes;
    private boolean closed;

    /** @param threadName names the probe threads (started on the first probe, at most two) */
    public EndpointMemory(String threadName) {
        this.threadName = threadName;
    }

    void suspect(Endpoint e) {
        suspects.put(e, System.nanoTime() + SUSPECT_NANOS);
    }

    void answered(Endpoint e) {
        suspects.remove(e);
    }

    boolean isSuspect(Endpoint e) {
        Long until = suspects.get(e);
        if (until != null && System.nanoTime() - until > 0) {
            suspects.remove(e, until);
            return false;
        }
        return until != null;
    }

    Set<Endpoint> previousRelease() {
        return previousRelease;
    }

    /** The probe threads (daemons: a caller that forgets {@link #close()} does not keep the JVM up); null once closed. */
    synchronized ScheduledExecutorService probes() {
        if (closed) {
            return null;
        }
        if (probes == null) {
            probes = Executors.newScheduledThreadPool(2, r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
        }
        return probes;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (probes != null) {
            probes.shutdownNow();
        }
    }
}
