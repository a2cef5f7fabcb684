package io.drover.agent.journal;

import io.drover.agent.task.TaskReport;
import java.util.Collection;
import java.util.List;

/**
 * Finished attempts the coordinator has not acknowledged yet. The agent reports everything here
 * on every report until it is acknowledged, so a lost reply or a coordinator failover costs a
 * resend, never a result.
 *
 * <p>{@link FileResultJournal} (the agent's default) makes results survive an agent restart
 * (invariant 5): {@link #pending} offers only results already written to its file, {@link #makeDurable}
 * syncs them (one fsync for all) once a report did not deliver them, and a new agent on the same work
 * directory starts with the results its predecessor held. {@link InMemoryResultJournal} is for tests.
 */
public interface ResultJournal extends AutoCloseable {
    /** Records a finished attempt; a second record for the same attempt replaces nothing. */
    void append(TaskReport report);

    /** Up to {@code max} unacknowledged results, oldest first; written to the journal's file where it has one. */
    List<TaskReport> pending(int max);

    /** Makes every result held so far survive the machine going down (a report did not deliver them). */
    default void makeDurable() {
    }

    /** Forgets the given attempts' results; unknown ids are ignored. */
    void acknowledge(Collection<Long> attemptIds);

    boolean holds(long attemptId);

    int size();

    @Override
    default void close() {
    }
}
