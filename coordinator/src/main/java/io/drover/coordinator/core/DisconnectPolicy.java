package io.drover.coordinator.core;

/**
 * How long an agent of a pool may be silent (or disconnected) before its attempts run elsewhere.
 * Data-center pools keep these short; edge pools on flaky links keep them long, so work goes on
 * through an outage and its results are delivered when the link returns.
 *
 * @param lostAfterMs       silence after which the agent's attempts are re-queued
 * @param disconnectGraceMs after a dropped connection, how long before the same happens
 */
public record DisconnectPolicy(long lostAfterMs, long disconnectGraceMs) {
    public DisconnectPolicy {
        if (lostAfterMs <= 0 || disconnectGraceMs < 0) {
            throw new IllegalArgumentException("need lostAfterMs > 0 and disconnectGraceMs >= 0, got "
                    + lostAfterMs + " and " + disconnectGraceMs);
        }
    }

    /** Label whose value names an agent's pool. */
    public static final String POOL_LABEL = "pool";
}
