package io.drover.coordinator.core;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of a job. Names match {@code io.drover.sdk.JobState}.
 *
 * <pre>
 *  WAITING ──(every dependency satisfied, its end committed)──► RUNNING
 *     ├──(a needed dependency did not succeed, on-upstream-failure fail)──► FAILED
 *     ├──(a needed dependency did not succeed, on-upstream-failure skip)──► SKIPPED
 *     └──(user cancel)──► CANCELLED
 *  RUNNING ──(all shards succeeded, reduce wanted)──► REDUCING ──► SUCCEEDED
 *     │ └──(all shards succeeded, no reduce)────────────────────► SUCCEEDED
 *     ├──(a task failed permanently)──► FAILED   (also from REDUCING)
 *     └──(user cancel)──► CANCELLED              (also from REDUCING)
 * </pre>
 * A job without dependencies starts in RUNNING. WAITING and SKIPPED come last so older ordinals stand.
 */
public enum JobState {
    RUNNING, REDUCING, SUCCEEDED, FAILED, CANCELLED, WAITING, SKIPPED;

    private Set<JobState> next;

    static {
        RUNNING.next = EnumSet.of(REDUCING, SUCCEEDED, FAILED, CANCELLED);
        REDUCING.next = EnumSet.of(SUCCEEDED, FAILED, CANCELLED);
        SUCCEEDED.next = EnumSet.noneOf(JobState.class);
        FAILED.next = EnumSet.noneOf(JobState.class);
        CANCELLED.next = EnumSet.noneOf(JobState.class);
        WAITING.next = EnumSet.of(RUNNING, FAILED, SKIPPED, CANCELLED);
        SKIPPED.next = EnumSet.noneOf(JobState.class);
    }

    /** Whether the job's tasks may be placed, run and committed (not while it waits, nor once it ended). */
    public boolean runsTasks() {
        return this == RUNNING || this == REDUCING;
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
