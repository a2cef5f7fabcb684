package io.drover.coordinator.transport;

/**
 * Told, on the thread that is about to run a call's handler, which peer sent the call (see
 * {@link BadInputGuard}); the RPC layer keeps it with the connection's other state.
 */
@FunctionalInterface
public interface PeerAware {
    void callFrom(Peer peer);
}
