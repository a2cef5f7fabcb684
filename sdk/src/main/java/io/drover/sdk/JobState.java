package io.drover.sdk;

/** A job's lifecycle as clients see it. */
public enum JobState {
    /** Shards run (or wait to). */
    RUNNING,
    /** Every shard succeeded; the reduce task runs. */
    REDUCING,
    /** Done, with its result. */
    SUCCEEDED,
    /** A task failed for good (its attempts ran out, or an agent rejected it). */
    FAILED,
    /** Cancelled by a user. */
    CANCELLED;

    /** {@return whether the job has ended: SUCCEEDED, FAILED or CANCELLED} */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
