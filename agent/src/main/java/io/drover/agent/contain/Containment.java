package io.drover.agent.contain;

import java.io.IOException;

/**
 * A mechanism that keeps every process of a task attempt within reach, so timeouts, cancels and
 * shutdown stop all of it: {@link CgroupContainment} or {@link TrackedContainment}. Chosen once
 * at agent start by {@link Containments#choose}.
 */
public interface Containment extends AutoCloseable {
    /** Short name for metrics and flags: "cgroup" or "tracked". */
    String mechanism();

    /** One line for the agent's log: what is used and what it enforces. */
    String description();

    /** The agent's default limits for each attempt (none for tracking). */
    TaskLimits limits();

    /**
     * Makes the enclosure of one attempt, with {@code limits} where the mechanism can enforce
     * them (a job's own memory, or the agent's defaults); tracking enforces none.
     */
    Enclosure enclose(long attemptId, TaskLimits limits) throws IOException;

    /** Removes what the agent made for its attempts (it runs none any more). */
    @Override
    void close();
}
