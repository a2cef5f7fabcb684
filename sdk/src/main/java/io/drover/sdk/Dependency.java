package io.drover.sdk;

import java.util.Objects;

/**
 * A job's dependency on another: the job waits (state {@link JobState#WAITING}) until
 * {@code jobId} ends, and runs only when that end satisfies {@code condition}. Inside a
 * {@link Workflow}, {@code jobId} may be the name of another job of the same workflow.
 *
 * @param jobId the upstream job's id, or a workflow job's name
 * @param condition what the upstream job's end must be
 */
public record Dependency(String jobId, Condition condition) {
    /** What the upstream job's end must be for the dependant to run. */
    public enum Condition {
        /** The upstream job succeeded (the default). */
        SUCCEEDED,
        /** The upstream job ended, however it ended. */
        FINISHED
    }

    /** What happens to a job whose {@code SUCCEEDED} dependency failed, was cancelled or was skipped. */
    public enum UpstreamFailure {
        /** The job fails, its error naming the upstream job (the default). */
        FAIL,
        /** The job is {@link JobState#SKIPPED}: it ends without running, and so do jobs that need it. */
        SKIP
    }

    /** The most dependencies one job may have. */
    public static final int MAX_PER_JOB = 16;

    /**
     * Checks the fields.
     *
     * @param jobId as the record component
     * @param condition as the record component
     */
    public Dependency {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(condition, "condition");
        if (jobId.isBlank() || jobId.length() > 200) {
            throw new IllegalArgumentException("dependency jobId must be 1..200 characters");
        }
    }

    /**
     * A dependency as a job's status shows it.
     *
     * @param jobId the upstream job's id
     * @param condition what it must do
     * @param name its name, when the coordinator still knows it
     * @param state its state now, when the coordinator still knows it
     */
    public record Status(String jobId, Condition condition, java.util.Optional<String> name,
                         java.util.Optional<JobState> state) {
        /**
         * {@return whether the upstream job has not ended yet: what a WAITING job waits for}
         */
        public boolean pending() {
            return state.isEmpty() || !state.get().isTerminal();
        }
    }
}
