package io.drover.agent.exec;

/**
 * The task cannot start on this agent as described (bad artifact, unknown or unusable entry
 * class, missing command). Reported as {@code REJECTED}, which the coordinator does not retry.
 */
public final class TaskRejectedException extends Exception {
    public TaskRejectedException(String message) {
        super(message);
    }

    public TaskRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
