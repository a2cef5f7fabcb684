package io.drover.sdk;

/** The job ended without a result: failed by its own policy, or cancelled. */
public class JobFailedException extends DroverException {
    /** The final status (not serialized: a status is not {@link java.io.Serializable}). */
    private final transient JobStatus status;

    /**
     * A job that ended FAILED or CANCELLED; the message carries its state and error.
     *
     * @param status the final status
     */
    public JobFailedException(JobStatus status) {
        super("job " + status.jobId() + " " + status.state()
                + (status.error() == null ? "" : ": " + status.error()));
        this.status = status;
    }

    /**
     * The job's final status, with its error.
     *
     * @return the job's final status
     */
    public JobStatus status() {
        return status;
    }
}
