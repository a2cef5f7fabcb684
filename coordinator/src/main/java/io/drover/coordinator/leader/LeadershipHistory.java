package io.drover.coordinator.leader;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The last few times this coordinator gained or lost leadership, newest last, for operators (the
 * console's cluster view). Bounded; soft state of this process only: other coordinators keep their own.
 */
public final class LeadershipHistory {
    /** One change: {@code gained} true when this coordinator took over epoch {@code epoch}, else it stopped leading it. */
    public record Change(Instant at, long epoch, boolean gained, String reason) {
    }

    private final Clock clock;
    private final int capacity;
    private final ArrayDeque<Change> changes = new ArrayDeque<>();

    public LeadershipHistory(Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.clock = clock;
        this.capacity = capacity;
    }

    synchronized void record(long epoch, boolean gained, String reason) {
        if (changes.size() == capacity) {
            changes.removeFirst();
        }
        changes.addLast(new Change(clock.instant(), epoch, gained, reason));
    }

    /** Oldest first. */
    public synchronized List<Change> changes() {
        return List.copyOf(changes);
    }
}
