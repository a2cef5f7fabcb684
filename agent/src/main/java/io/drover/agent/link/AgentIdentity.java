package io.drover.agent.link;

import java.util.Map;
import java.util.Objects;

/** What an agent tells the coordinator about itself when it registers. */
public record AgentIdentity(String agentId, String host, int slots, Map<String, String> labels,
                            String softwareVersion) {
    public AgentIdentity {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(softwareVersion, "softwareVersion");
        labels = Map.copyOf(labels);
    }
}
