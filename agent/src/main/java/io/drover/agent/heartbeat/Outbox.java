package io.drover.agent.heartbeat;

import io.drover.agent.exec.ResultSink;
import io.drover.agent.journal.ResultJournal;
import io.drover.agent.task.AttemptRef;
import io.drover.agent.task.TaskReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Results on their way out: the journal plus a signal that wakes the {@link Reporter}. */
public final class Outbox implements ResultSink {
    private final ResultJournal journal;
    private final Semaphore signal = new Semaphore(0);

    /** Results already in {@code journal} (from before a restart) go out with the first report. */
    public Outbox(ResultJournal journal) {
        this.journal = journal;
        if (journal.size() > 0) {
            signal.release();
        }
    }

    @Override
    public void finished(TaskReport report) {
        journal.append(report);
        signal.release();
    }

    @Override
    public boolean holds(long attemptId) {
        return journal.holds(attemptId);
    }

    List<TaskReport> pending(int max) {
        return journal.pending(max);
    }

    /** Syncs the results held: a report did not get them acknowledged, so they may wait a while. */
    void makeDurable() {
        journal.makeDurable();
    }

    /**
     * What a heartbeat lists as the agent's own: the attempts in {@code running}, then those whose
     * results the journal holds and {@code carried} does not. A new leader waits for every agent's
     * first heartbeat before it assigns anything (its recovery window), and that heartbeat is often
     * the long poll, which carries no results: a finished attempt it did not name would run again.
     * Take {@code running} before {@code carried}: a task leaves the running set only once its
     * result is in the journal, so no attempt slips between the two.
     */
    List<AttemptRef> owned(List<AttemptRef> running, List<TaskReport> carried) {
        List<TaskReport> held = journal.pending(Integer.MAX_VALUE);
        List<AttemptRef> out = new ArrayList<>(running.size() + held.size());
        out.addAll(running);
        Set<Long> named = new HashSet<>();
        running.forEach(a -> named.add(a.attemptId()));
        carried.forEach(r -> named.add(r.attemptId()));
        for (TaskReport r : held) {
            if (named.add(r.attemptId())) {
                out.add(r.attempt());
            }
        }
        return out;
    }

    void acknowledge(Collection<Long> attemptIds) {
        journal.acknowledge(attemptIds);
    }

    int size() {
        return journal.size();
    }

    /** Wakes the reporter without a new result (to retry at once, or to make it notice a stop). */
    void wake() {
        signal.release();
    }

    /** Waits for a new result or a wake-up; true if one came, false after {@code timeout}. */
    boolean await(Duration timeout) throws InterruptedException {
        boolean woke = signal.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return woke;
    }

    /** Forgets wake-ups already covered by the batch about to be sent. */
    void drainSignals() {
        signal.drainPermits();
    }
}
