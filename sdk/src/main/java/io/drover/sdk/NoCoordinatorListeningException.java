package io.drover.sdk;

/**
 * Every coordinator endpoint refused the connection, twice about a second apart: nothing listens
 * there (no coordinator started, or wrong endpoints). Thrown only by clients built with
 * {@link DroverClient.Builder#giveUpWhenNothingListens(boolean)}.
 */
public class NoCoordinatorListeningException extends CoordinatorUnavailableException {
    /**
     * A failure with its message and cause.
     *
     * @param message what went wrong and what to do
     * @param cause the underlying failure
     */
    public NoCoordinatorListeningException(String message, Throwable cause) {
        super(message, cause);
    }
}
