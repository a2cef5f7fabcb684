package io.drover.coordinator.core;

import java.util.Objects;

/**
 * One edge of a workflow: the job that holds it waits for {@code jobId} to end. {@code SUCCEEDED}
 * needs the upstream job to succeed; {@code FINISHED} only needs it to end, however it ended.
 * Inside a workflow submission {@code jobId} may name another job of the same workflow; the core
 * rewrites it to that job's id before anything is accepted.
 */
public record Dependency(String jobId, Condition condition) {
    /** What the upstream job's end must be for the dependant to run. */
    public enum Condition { SUCCEEDED, FINISHED }

    /** What happens to a dependant whose {@code SUCCEEDED} dependency failed, was cancelled or skipped. */
    public enum UpstreamFailure { FAIL, SKIP }

    /** A job waits on at most this many others: bounds the upstream results one task is handed. */
    public static final int MAX_PER_JOB = 16;

    public Dependency {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(condition, "condition");
    }

    /** Whether an upstream job that ended in {@code state} lets the dependant run. */
    public boolean satisfiedBy(JobState state) {
        return condition == Condition.FINISHED ? state.isTerminal() : state == JobState.SUCCEEDED;
    }
}
