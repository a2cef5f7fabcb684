package io.drover.sdk;

/** No coordinator endpoint answered as leader within the client's deadline. */
public class CoordinatorUnavailableException extends DroverException {
    /**
     * A failure with its message and cause.
     *
     * @param message what went wrong and what to do
     * @param cause the underlying failure
     */
    public CoordinatorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
