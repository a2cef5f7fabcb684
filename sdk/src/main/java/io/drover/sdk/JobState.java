package io.drover.sdk;

/** A job's lifecycle as clients see it. */
public enum JobState {
    RUNNING, REDUCING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
