package io.drover.sdk;

/** Base of every error the SDK reports. Unchecked: callers decide where to handle them. */
public class DroverException extends RuntimeException {
    public DroverException(String message) {
        super(message);
    }

    public DroverException(String message, Throwable cause) {
        super(message, cause);
    }
}
