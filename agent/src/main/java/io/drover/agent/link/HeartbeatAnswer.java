package io.drover.agent.link;

import io.drover.agent.logs.LogRequest;
import io.drover.agent.task.TaskAssignment;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The coordinator's reply to a heartbeat: new work, attempts to cancel, results it has durably
 * taken over (the agent may forget them), whether it needs the agent to register again, and the
 * pool's offline stop bound when the reply states it (zero: keep running through any outage), and
 * reads of task output the coordinator relays from clients.
 */
public record HeartbeatAnswer(List<TaskAssignment> assignments, List<Long> cancellations,
                              List<Long> acknowledged, boolean reRegister, Optional<Duration> offlineStopAfter,
                              List<LogRequest> logRequests) {
    public HeartbeatAnswer {
        assignments = List.copyOf(assignments);
        cancellations = List.copyOf(cancellations);
        acknowledged = List.copyOf(acknowledged);
        logRequests = List.copyOf(logRequests);
    }

    /** An answer without reads of task output. */
    public HeartbeatAnswer(List<TaskAssignment> assignments, List<Long> cancellations, List<Long> acknowledged,
                           boolean reRegister, Optional<Duration> offlineStopAfter) {
        this(assignments, cancellations, acknowledged, reRegister, offlineStopAfter, List.of());
    }

    /** An answer that does not state the offline stop bound. */
    public HeartbeatAnswer(List<TaskAssignment> assignments, List<Long> cancellations, List<Long> acknowledged,
                           boolean reRegister) {
        this(assignments, cancellations, acknowledged, reRegister, Optional.empty());
    }

    public boolean isEmpty() {
        return assignments.isEmpty() && cancellations.isEmpty() && acknowledged.isEmpty() && !reRegister
                && logRequests.isEmpty();
    }
}
