package io.drover.agent.link;

import io.drover.agent.task.TaskAssignment;
import java.util.List;

/**
 * The coordinator's reply to a heartbeat: new work, attempts to cancel, results it has durably
 * taken over (the agent may forget them), and whether it needs the agent to register again.
 */
public record HeartbeatAnswer(List<TaskAssignment> assignments, List<Long> cancellations,
                              List<Long> acknowledged, boolean reRegister) {
    public HeartbeatAnswer {
        assignments = List.copyOf(assignments);
        cancellations = List.copyOf(cancellations);
        acknowledged = List.copyOf(acknowledged);
    }

    public boolean isEmpty() {
        return assignments.isEmpty() && cancellations.isEmpty() && acknowledged.isEmpty() && !reRegister;
    }
}
