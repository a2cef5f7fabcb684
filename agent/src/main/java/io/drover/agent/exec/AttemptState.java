package io.drover.agent.exec;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of an attempt on this agent.
 *
 * <pre>
 *   QUEUED ──(a task thread picks it up)──► RUNNING ──(result, cancel, timeout, shutdown)──► FINISHED
 *     └──────────────(cancel or shutdown before it started)──────────────────────────────────►┘
 * </pre>
 *
 * Exactly one transition into FINISHED wins, and only the winner reports the attempt: a task that
 * returns after it was cancelled or timed out has its late result dropped.
 */
enum AttemptState {
    QUEUED, RUNNING, FINISHED;

    private Set<AttemptState> next() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, FINISHED);
            case RUNNING -> EnumSet.of(FINISHED);
            case FINISHED -> EnumSet.noneOf(AttemptState.class);
        };
    }

    /** @throws IllegalStateException when {@code to} cannot follow this state */
    void checkTransition(AttemptState to) {
        if (!next().contains(to)) {
            throw new IllegalStateException("attempt cannot move from " + this + " to " + to);
        }
    }
}
