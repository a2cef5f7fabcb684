package io.drover.agent.link;

import java.util.Map;
import java.util.Objects;

/**
 * What an agent tells the coordinator about itself when it registers. {@code instanceId} is the
 * random token kept in its work dir: a restart sends the same one, another agent that was given
 * the same id does not, so the coordinator can refuse the second.
 */
public record AgentIdentity(String agentId, String host, int slots, Map<String, String> labels,
                            String softwareVersion, String instanceId) {
    public AgentIdentity {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(softwareVersion, "softwareVersion");
        labels = Map.copyOf(labels);
    }
}
