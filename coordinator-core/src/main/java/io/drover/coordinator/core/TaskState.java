package io.drover.coordinator.core;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of one task (a shard, or a job's reduce step).
 *
 * <pre>
 *            assign            success
 *  PENDING ─────────► RUNNING ─────────► SUCCEEDED
 *     ▲  ▲               │ │  failure, attempts left
 *     │  └── agent lost ─┘ └──────────► BACKOFF ──(delay over)──► PENDING
 *     │                    │ no attempts left / rejected
 *     │                    └──────────► FAILED
 *  any non-terminal ──(job cancelled or failed)──► CANCELLED
 * </pre>
 */
public enum TaskState {
    PENDING, RUNNING, BACKOFF, SUCCEEDED, FAILED, CANCELLED;

    private Set<TaskState> next;

    static {
        PENDING.next = EnumSet.of(RUNNING, CANCELLED);
        RUNNING.next = EnumSet.of(SUCCEEDED, BACKOFF, FAILED, PENDING, CANCELLED);
        BACKOFF.next = EnumSet.of(PENDING, CANCELLED, SUCCEEDED);
        SUCCEEDED.next = EnumSet.noneOf(TaskState.class);
        FAILED.next = EnumSet.noneOf(TaskState.class);
        CANCELLED.next = EnumSet.noneOf(TaskState.class);
    }

    public boolean isTerminal() {
        return next.isEmpty();
    }

    /** Returns {@code target} if the transition is legal; throws otherwise. */
    public TaskState to(TaskState target) {
        if (!next.contains(target)) {
            throw new IllegalStateException("illegal task transition " + this + " -> " + target);
        }
        return target;
    }
}
