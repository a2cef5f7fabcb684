package io.drover.agent.jobcode;

/** A job's entry class cannot be loaded or instantiated; the message names the class and artifact. */
public final class JobLoadException extends Exception {
    public JobLoadException(String message, Throwable cause) {
        super(message, cause);
    }

    public JobLoadException(String message) {
        super(message);
    }
}
