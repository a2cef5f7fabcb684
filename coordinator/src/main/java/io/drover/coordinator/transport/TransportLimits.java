package io.drover.coordinator.transport;

import java.time.Duration;

/**
 * What one coordinator's Thrift port grants its peers: frame size, read memory in total,
 * connections per address and in total, and how long a connection may take over a frame or sit idle.
 *
 * @param maxFrameBytes            largest request frame accepted; larger claims close the connection
 *                                 at their header. The largest request is an agent's heartbeat with
 *                                 its batch of results: 100 of at most 64 KiB value and 4 Ki chars of
 *                                 error, about 7.6 MiB at worst, so 8 MiB; artifact chunks (512 KiB),
 *                                 log chunks (1 MiB) and job definitions (256 KiB) fit easily
 * @param readBudgetBytes          request bytes all connections together may hold (frames being
 *                                 received and frames in their call); a frame that would exceed it
 *                                 closes its connection
 * @param frameTimeout             a frame begun must be complete within this; slower senders are cut
 * @param idleTimeout              a connection with no frame in progress and no call running is
 *                                 closed after this; longer than any client's pause between calls
 * @param maxConnectionsPerAddress connections one remote address may hold; more are closed at accept
 * @param maxConnections           connections in total; more are closed at accept
 * @param handshakeTimeout         a TLS connection must finish its handshake within this; a peer that
 *                                 connects and stalls is closed, whatever the idle timeout
 */
public record TransportLimits(int maxFrameBytes, long readBudgetBytes, Duration frameTimeout, Duration idleTimeout,
                              int maxConnectionsPerAddress, int maxConnections, Duration handshakeTimeout) {
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public static final int DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;

    public TransportLimits {
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes must be >= 1024, was " + maxFrameBytes);
        }
        if (readBudgetBytes < maxFrameBytes) {
            throw new IllegalArgumentException("readBudgetBytes (" + readBudgetBytes + ") must be >= maxFrameBytes (" + maxFrameBytes + ")");
        }
        if (frameTimeout.toMillis() < 1 || idleTimeout.compareTo(frameTimeout) < 0) {
            throw new IllegalArgumentException("need 0 < frameTimeout <= idleTimeout, were " + frameTimeout + " and " + idleTimeout);
        }
        if (maxConnectionsPerAddress < 1 || maxConnections < maxConnectionsPerAddress) {
            throw new IllegalArgumentException("need 1 <= maxConnectionsPerAddress <= maxConnections, were "
                    + maxConnectionsPerAddress + " and " + maxConnections);
        }
        if (handshakeTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("handshakeTimeout must be positive, was " + handshakeTimeout);
        }
    }

    /** Defaults for this JVM: the read budget is an eighth of the heap (at least two maximal frames). */
    public static TransportLimits defaults() {
        return new TransportLimits(DEFAULT_MAX_FRAME_BYTES, defaultReadBudget(DEFAULT_MAX_FRAME_BYTES),
                Duration.ofSeconds(10), Duration.ofSeconds(120), 128, 4096, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    static long defaultReadBudget(int maxFrameBytes) {
        return Math.max(2L * maxFrameBytes, Runtime.getRuntime().maxMemory() / 8);
    }

    public TransportLimits withMaxFrameBytes(int bytes) {
        return new TransportLimits(bytes, Math.max(readBudgetBytes, bytes), frameTimeout, idleTimeout, maxConnectionsPerAddress, maxConnections, handshakeTimeout);
    }

    public TransportLimits withReadBudgetBytes(long bytes) {
        return new TransportLimits(maxFrameBytes, bytes, frameTimeout, idleTimeout, maxConnectionsPerAddress, maxConnections, handshakeTimeout);
    }

    public TransportLimits withTimeouts(Duration frame, Duration idle) {
        return new TransportLimits(maxFrameBytes, readBudgetBytes, frame, idle, maxConnectionsPerAddress, maxConnections, handshakeTimeout);
    }

    public TransportLimits withConnectionCaps(int perAddress, int total) {
        return new TransportLimits(maxFrameBytes, readBudgetBytes, frameTimeout, idleTimeout, perAddress, total, handshakeTimeout);
    }

    public TransportLimits withHandshakeTimeout(Duration timeout) {
        return new TransportLimits(maxFrameBytes, readBudgetBytes, frameTimeout, idleTimeout, maxConnectionsPerAddress,
                maxConnections, timeout);
    }
}
