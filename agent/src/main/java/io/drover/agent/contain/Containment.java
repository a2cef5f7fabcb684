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

    /** The limits this mechanism enforces on each attempt (none for tracking). */
    TaskLimits limits();

    /** Makes the enclosure of one attempt. */
    Enclosure enclose(long attemptId) throws IOException;

    /** Removes what the agent made for its attempts (it runs none any more). */
    @Override
    void close();
}
