package io.drover.coordinator.core;

/**
 * How long an agent of a pool may be silent (or disconnected) before its attempts run elsewhere,
 * and whether the agent itself stops them when it cannot reach a coordinator. Data-center pools
 * keep these short; edge pools on flaky links keep them long, so work goes on through an outage
 * and its results are delivered when the link returns. A job may override the silence bound for
 * its own attempts ({@link JobDefinition#lostAfterMs()}).
 *
 * @param lostAfterMs        silence after which the agent's attempts are re-queued
 * @param disconnectGraceMs  after a dropped connection, how long before the same happens
 * @param offlineStopAfterMs told to the agent: after this long without a successful heartbeat it
 *                           stops its running attempts (reported CANCELLED when the link returns);
 *                           0 keeps them running however long the silence
 */
public record DisconnectPolicy(long lostAfterMs, long disconnectGraceMs, long offlineStopAfterMs) {
    public DisconnectPolicy {
        if (lostAfterMs <= 0 || disconnectGraceMs < 0 || offlineStopAfterMs < 0) {
            throw new IllegalArgumentException("need lostAfterMs > 0, disconnectGraceMs >= 0 and offlineStopAfterMs >= 0, got "
                    + lostAfterMs + ", " + disconnectGraceMs + " and " + offlineStopAfterMs);
        }
    }

    /** A policy whose agents keep running their tasks through any silence. */
    public DisconnectPolicy(long lostAfterMs, long disconnectGraceMs) {
        this(lostAfterMs, disconnectGraceMs, 0);
    }

    /** Label whose value names an agent's pool. */
    public static final String POOL_LABEL = "pool";
}
