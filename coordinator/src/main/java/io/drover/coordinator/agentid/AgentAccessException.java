package io.drover.coordinator.agentid;

/** An agent asked for something it may not have; the message names what and what to do. Becomes AccessDenied. */
public final class AgentAccessException extends Exception {
    public AgentAccessException(String message) {
        super(message);
    }
}
