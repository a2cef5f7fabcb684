package io.drover.coordinator.engine;

/** The request reached a core that stopped leading before answering it; the caller should retry. */
public final class LeadershipLostException extends RuntimeException {
    public LeadershipLostException(String message) {
        super(message);
    }
}
