package io.drover.sdk;

/** The job ended without a result: failed by its own policy, or cancelled. */
public class JobFailedException extends DroverException {
    private final JobStatus status;

    public JobFailedException(JobStatus status) {
        super("job " + status.jobId() + " " + status.state()
                + (status.error() == null ? "" : ": " + status.error()));
        this.status = status;
    }

    public JobStatus status() {
        return status;
    }
}
