package io.drover.agent.task;

import java.util.Objects;

/** A finished attempt as it is reported (and journaled until the coordinator acknowledges it). */
public record TaskReport(AttemptRef attempt, Execution execution, long runMillis) {
    public TaskReport {
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(execution, "execution");
    }

    public long attemptId() {
        return attempt.attemptId();
    }

    public TaskOutcome outcome() {
        return execution.outcome();
    }
}
