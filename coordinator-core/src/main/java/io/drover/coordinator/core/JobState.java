package io.drover.coordinator.core;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of a job. Names match {@code io.drover.sdk.JobState}.
 *
 * <pre>
 *  RUNNING ──(all shards succeeded, reduce wanted)──► REDUCING ──► SUCCEEDED
 *     │ └──(all shards succeeded, no reduce)────────────────────► SUCCEEDED
 *     ├──(a task failed permanently)──► FAILED   (also from REDUCING)
 *     └──(user cancel)──► CANCELLED              (also from REDUCING)
 * </pre>
 */
public enum JobState {
    RUNNING, REDUCING, SUCCEEDED, FAILED, CANCELLED;

    private Set<JobState> next;

    static {
        RUNNING.next = EnumSet.of(REDUCING, SUCCEEDED, FAILED, CANCELLED);
        REDUCING.next = EnumSet.of(SUCCEEDED, FAILED, CANCELLED);
        SUCCEEDED.next = EnumSet.noneOf(JobState.class);
        FAILED.next = EnumSet.noneOf(JobState.class);
        CANCELLED.next = EnumSet.noneOf(JobState.class);
    }

    public boolean isTerminal() {
        return next.isEmpty();
    }

    public JobState to(JobState target) {
        if (!next.contains(target)) {
            throw new IllegalStateException("illegal job transition " + this + " -> " + target);
        }
        return target;
    }
}
