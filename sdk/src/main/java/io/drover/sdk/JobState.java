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
    CANCELLED,
    /** Accepted; waits for the jobs it depends on to end. Its tasks are not offered to agents yet. */
    WAITING,
    /** Ended without running: a job it needed to succeed did not, and it asked to be skipped then. */
    SKIPPED;

    /** {@return whether the job has ended: SUCCEEDED, FAILED, CANCELLED or SKIPPED} */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == SKIPPED;
    }
}
