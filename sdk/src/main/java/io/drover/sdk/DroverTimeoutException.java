package io.drover.sdk;

import java.util.Optional;

/**
 * A wait for a job ran out of time before the job reached a terminal state. The job itself is
 * unaffected: it keeps running, and {@link #lastStatus()} is the newest snapshot seen, if any.
 */
public class DroverTimeoutException extends DroverException {
    private final transient JobStatus lastStatus;

    /**
     * A wait that ran out of time.
     *
     * @param message what went wrong and what to do
     * @param lastStatus the last status seen, or null
     */
    public DroverTimeoutException(String message, JobStatus lastStatus) {
        super(message);
        this.lastStatus = lastStatus;
    }

    /**
     * The last status observed before the deadline; empty when not even one poll succeeded.
     *
     * @return the status, or empty
     */
    public Optional<JobStatus> lastStatus() {
        return Optional.ofNullable(lastStatus);
    }
}
