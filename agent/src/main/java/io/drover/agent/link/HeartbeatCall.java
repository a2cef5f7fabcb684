package io.drover.agent.link;

import io.drover.agent.task.AttemptRef;
import io.drover.agent.task.TaskReport;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One heartbeat: finished attempts to report, the other attempts the agent answers for (running,
 * or finished with a result the journal holds that this call does not carry: a new leader adopts
 * them instead of running them again), free slots, and how long the coordinator may park the call
 * waiting for work ({@link Duration#ZERO}: answer at once), and which of the running attempts wait
 * in the agent's queue, not started yet (queue-ahead).
 */
public record HeartbeatCall(List<TaskReport> results, List<AttemptRef> running, int freeSlots,
                            boolean draining, Duration maxWait, Set<Long> queued) {
    public HeartbeatCall {
        results = List.copyOf(results);
        running = List.copyOf(running);
        Objects.requireNonNull(maxWait, "maxWait");
        queued = Set.copyOf(queued);
    }

    public HeartbeatCall(List<TaskReport> results, List<AttemptRef> running, int freeSlots, boolean draining, Duration maxWait) {
        this(results, running, freeSlots, draining, maxWait, Set.of());
    }
}
