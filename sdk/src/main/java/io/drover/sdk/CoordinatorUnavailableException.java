package io.drover.sdk;

/** No coordinator endpoint answered as leader within the client's deadline. */
public class CoordinatorUnavailableException extends DroverException {
    public CoordinatorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
