package io.drover.agent.task;

/** How an attempt ended, as the agent reports it. Mirrors the wire enum without depending on it. */
public enum TaskOutcome {
    SUCCEEDED,
    /** Threw, exited non-zero, or produced an unusable result: retried per the job's policy. */
    FAILED,
    TIMED_OUT,
    CANCELLED,
    /** The agent could not start it (bad artifact, unknown class, no command): not retried. */
    REJECTED
}
