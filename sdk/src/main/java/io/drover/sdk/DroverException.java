package io.drover.sdk;

/** Base of every error the SDK reports. Unchecked: callers decide where to handle them. */
public class DroverException extends RuntimeException {
    /**
     * A failure with its message.
     *
     * @param message what went wrong and what to do
     */
    public DroverException(String message) {
        super(message);
    }

    /**
     * A failure with its message and cause.
     *
     * @param message what went wrong and what to do
     * @param cause the underlying failure
     */
    public DroverException(String message, Throwable cause) {
        super(message, cause);
    }
}
