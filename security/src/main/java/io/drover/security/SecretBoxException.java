package io.drover.security;

/** A sealed value that does not open: not sealed, altered, or sealed under another key. */
public final class SecretBoxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecretBoxException(String message) {
        super(message);
    }

    public SecretBoxException(String message, Throwable cause) {
        super(message, cause);
    }
}
