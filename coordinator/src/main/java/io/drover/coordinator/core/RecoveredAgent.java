package io.drover.coordinator.core;

import java.util.Map;

/** An agent known from durable facts: a new leader waits for it to re-report before assigning. */
public record RecoveredAgent(String agentId, String host, int slots, Map<String, String> labels) {
    public RecoveredAgent {
        labels = Map.copyOf(labels);
    }
}
