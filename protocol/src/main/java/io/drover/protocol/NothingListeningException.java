package io.drover.protocol;

/**
 * Every coordinator endpoint refused the connection, twice: nothing listens there, most likely no
 * coordinator was started or the endpoints are wrong. Waiting out the retry deadline would not help.
 */
public class NothingListeningException extends NoLeaderException {
    public NothingListeningException(String message, Throwable cause) {
        super(message, cause);
    }
}
