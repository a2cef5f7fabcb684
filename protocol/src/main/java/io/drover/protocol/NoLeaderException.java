package io.drover.protocol;

/** No coordinator endpoint answered as leader within the connection's retry deadline. */
public class NoLeaderException extends RuntimeException {
    public NoLeaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
