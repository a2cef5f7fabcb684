package io.drover.sdk;

/**
 * Every coordinator endpoint refused the connection, twice about a second apart: nothing listens
 * there (no coordinator started, or wrong endpoints). Thrown only by clients built with
 * {@link DroverClient.Builder#giveUpWhenNothingListens(boolean)}.
 */
public class NoCoordinatorListeningException extends CoordinatorUnavailableException {
    public NoCoordinatorListeningException(String message, Throwable cause) {
        super(message, cause);
    }
}
