package io.drover.coordinator.stream;

/** How an attempt ended, as the task stream shows it; RUNNING until it ends. */
public enum AttemptOutcome {
    RUNNING, SUCCEEDED, FAILED, RETRIED, CANCELLED, LOST
}
