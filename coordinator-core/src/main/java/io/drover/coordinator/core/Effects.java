package io.drover.coordinator.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What handling events produced: facts to persist (fenced, in one group commit) and replies to
 * send once the facts are durable. Filled by the {@link Scheduler}; drained by the shell.
 */
public final class Effects {
    /**
     * A reply for one request. {@code earlyAfterJobs} null: it leaves once this turn's facts (and every earlier
     * turn's) are durable. Not null: it depends on no fact of this turn, only on these jobs' definitions being
     * durable, so the shell may send it before the turn's commit (see {@link #replyEarly}).
     */
    public record Reply(long requestId, Response response, Set<String> earlyAfterJobs) {
        public Reply(long requestId, Response response) {
            this(requestId, response, null);
        }
    }

    private final List<Fact> facts = new ArrayList<>();
    private final List<Reply> replies = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long[] dispatchMillis = new long[64];
    private int dispatchCount;

    void persist(Fact fact) {
        facts.add(fact);
    }

    void reply(long requestId, Response response) {
        replies.add(new Reply(requestId, response));
    }

    /**
     * A reply that needs no fact of this turn to be durable: only the definitions of {@code jobs} (first attempts
     * of their shard tasks, which nothing uncommitted made ready). The shell sends it as soon as no uncommitted
     * turn holds one of those definitions, without waiting for this turn's group commit.
     */
    void replyEarly(long requestId, Response response, Set<String> jobs) {
        replies.add(new Reply(requestId, response, Set.copyOf(jobs)));
    }

    /** A line for the operator's log: state changes worth reading at 3 a.m. */
    void note(String line) {
        notes.add(line);
    }

    public List<String> notes() {
        return notes;
    }

    /** A task's assign-to-commit time, for the dispatch latency metric. */
    void observeDispatch(long millis) {
        if (dispatchCount == dispatchMillis.length) {
            dispatchMillis = java.util.Arrays.copyOf(dispatchMillis, dispatchCount * 2);
        }
        dispatchMillis[dispatchCount++] = millis;
    }

    public int dispatchCount() {
        return dispatchCount;
    }

    public long dispatchMillis(int i) {
        return dispatchMillis[i];
    }

    public List<Fact> facts() {
        return facts;
    }

    public List<Reply> replies() {
        return replies;
    }

    public boolean isEmpty() {
        return facts.isEmpty() && replies.isEmpty() && notes.isEmpty();
    }

    /** How much this holds: {@link #rollBack} drops what was added after it. */
    public record Mark(int facts, int replies, int notes, int dispatches) {
    }

    public Mark mark() {
        return new Mark(facts.size(), replies.size(), notes.size(), dispatchCount);
    }

    /** Drops what one event added after {@code mark}, when the shell refuses that event. */
    public void rollBack(Mark mark) {
        facts.subList(mark.facts(), facts.size()).clear();
        replies.subList(mark.replies(), replies.size()).clear();
        notes.subList(mark.notes(), notes.size()).clear();
        dispatchCount = mark.dispatches();
    }

    public void clear() {
        facts.clear();
        replies.clear();
        notes.clear();
        dispatchCount = 0;
    }
}
