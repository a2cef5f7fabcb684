package io.drover.coordinator.core;

import java.util.List;
import java.util.Map;

/**
 * An agent known from durable facts: a new leader waits for it to re-report before assigning.
 * {@code silentSinceMs > 0} when it was silent at the last word about it, running {@code held}.
 */
public record RecoveredAgent(String agentId, String host, int slots, Map<String, String> labels,
                             long silentSinceMs, List<Fact.HeldAttempt> held) {
    public RecoveredAgent {
        labels = Map.copyOf(labels);
        held = List.copyOf(held);
    }

    /** An agent with no recorded silence. */
    public RecoveredAgent(String agentId, String host, int slots, Map<String, String> labels) {
        this(agentId, host, slots, labels, 0, List.of());
    }

    RecoveredAgent silent(long sinceMs, List<Fact.HeldAttempt> attempts) {
        return new RecoveredAgent(agentId, host, slots, labels, sinceMs, attempts);
    }
}
