package io.drover.coordinator.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the core loop keeps; read by the metrics endpoint and benchmarks. Plain Java, no metrics
 * library: the endpoint reads the counters, and an {@link Observer} (the composition root's) sees
 * each latency as it is measured, for histograms.
 */
public final class LoopMetrics {
    /** Sees single measurements as the loop takes them, on the loop's thread: must be quick and never throw. */
    public interface Observer {
        Observer NONE = new Observer() {
        };

        /** A task was assigned {@code millis} after it became ready. */
        default void dispatched(long millis) {
        }

        /** A group commit of {@code facts} facts became durable {@code nanos} after it was started. */
        default void committed(int facts, long nanos) {
        }

        /** A cron schedule's run started {@code latenessMs} after its fire time (durably). */
        default void scheduleFired(long latenessMs) {
        }
    }

    private volatile Observer observer = Observer.NONE;
    private final LongAdder tasksCommitted = new LongAdder();
    private final LongAdder tasksFailed = new LongAdder();
    private final LongAdder tasksRetried = new LongAdder();
    private final LongAdder jobsAccepted = new LongAdder();
    private final LongAdder jobsEnded = new LongAdder();
    private final LongAdder leadershipGained = new LongAdder();
    private final LongAdder leadershipLost = new LongAdder();
    private volatile int parkedPolls;

    /** Who sees single measurements; set by the composition root before the coordinator starts. */
    public void observe(Observer o) {
        this.observer = java.util.Objects.requireNonNull(o, "observer");
    }

    /** Facts made durable by a group commit, counted by kind. */
    void durable(FactTally t) {
        tasksCommitted.add(t.tasksCommitted());
        tasksFailed.add(t.tasksFailed());
        tasksRetried.add(t.tasksRetried());
        jobsAccepted.add(t.jobsAccepted());
        jobsEnded.add(t.jobsEnded());
        Observer o = observer;
        for (long lateness : t.scheduleLatenessMs()) {
            o.scheduleFired(lateness);
        }
    }

    void parkedPolls(int n) {
        parkedPolls = n;
    }

    /** Tasks whose one result was committed (durably), since this process started. */
    public long tasksCommitted() {
        return tasksCommitted.sum();
    }

    /** Tasks that failed for good. */
    public long tasksFailed() {
        return tasksFailed.sum();
    }

    /** Failed attempts that were scheduled to run again. */
    public long tasksRetried() {
        return tasksRetried.sum();
    }

    public long jobsAccepted() {
        return jobsAccepted.sum();
    }

    public long jobsEnded() {
        return jobsEnded.sum();
    }

    /** Agent long polls the core holds open (heartbeats waiting for work), as of the loop's last turn. */
    public int parkedPolls() {
        return parkedPolls;
    }

    /** This coordinator took over as leader (called by the election). */
    public void leadershipGained() {
        leadershipGained.increment();
    }

    /** This coordinator stopped leading (called by the election). */
    public void leadershipLost() {
        leadershipLost.increment();
    }

    public long leadershipsGained() {
        return leadershipGained.sum();
    }

    public long leadershipsLost() {
        return leadershipLost.sum();
    }
    private final LongAdder events = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder factsCommitted = new LongAdder();
    private final LongAdder commitNanos = new LongAdder();
    /** Assign-to-commit latency per task, 1 ms buckets up to 60 s (the last bucket is "more"). */
    private final java.util.concurrent.atomic.AtomicLongArray dispatch = new java.util.concurrent.atomic.AtomicLongArray(60_001);

    private final LongAdder compactions = new LongAdder();
    private final LongAdder compactionNanos = new LongAdder();
    private final LongAdder repliesEarly = new LongAdder();
    private final LongAdder repliesAfterCommit = new LongAdder();

    /** One turn's replies: sent before its commit (work only, see CoreLoop) and left to wait for it. */
    void replied(int early, int afterCommit) {
        repliesEarly.add(early);
        repliesAfterCommit.add(afterCommit);
    }

    public long repliesEarly() {
        return repliesEarly.sum();
    }

    public long repliesAfterCommit() {
        return repliesAfterCommit.sum();
    }

    void compacted(long nanos) {
        compactions.increment();
        compactionNanos.add(nanos);
    }

    /** Time spent compacting (the core loop does nothing else meanwhile). */
    public long compactionNanos() {
        return compactionNanos.sum();
    }

    public long compactions() {
        return compactions.sum();
    }

    private final LongAdder turns = new LongAdder();
    private final LongAdder steps = new LongAdder();

    /** A piece of long work done inside one turn (part of a compaction written): busy, not stuck. */
    void stepped() {
        steps.increment();
    }

    /** Pieces of long work done inside turns: the watchdog's sign of life while one turn takes long. */
    public long steps() {
        return steps.sum();
    }

    /** Called once per turn of the loop, idle turns (ticks) included. */
    void eventsHandled(int n) {
        events.add(n);
        turns.increment();
    }

    /** Turns of the core loop so far: the watchdog's sign that the loop is alive. */
    public long turns() {
        return turns.sum();
    }

    void committed(int facts, long nanos) {
        commits.increment();
        factsCommitted.add(facts);
        commitNanos.add(nanos);
        observer.committed(facts, nanos);
    }

    void dispatched(long millis) {
        dispatch.incrementAndGet((int) Math.max(0, Math.min(60_000, millis)));
        observer.dispatched(millis);
    }

    /** The q-quantile (0..1) of dispatch latency in ms, or -1 when nothing was dispatched. */
    public long dispatchQuantileMillis(double q) {
        long total = 0;
        for (int i = 0; i < dispatch.length(); i++) {
            total += dispatch.get(i);
        }
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < dispatch.length(); i++) {
            seen += dispatch.get(i);
            if (seen >= rank) {
                return i;
            }
        }
        return dispatch.length() - 1;
    }

    public long events() {
        return events.sum();
    }

    public long commits() {
        return commits.sum();
    }

    public long factsCommitted() {
        return factsCommitted.sum();
    }

    public long commitNanos() {
        return commitNanos.sum();
    }
}
