package io.drover.agent.workers;

/** A worker JVM could not be started or did not connect back; the message says what it printed. */
public final class WorkerStartException extends Exception {
    public WorkerStartException(String message) {
        super(message);
    }

    public WorkerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
