package io.drover.agent.link;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an agent tells the coordinator about itself when it registers. {@code instanceId} is the
 * random token kept in its work dir: a restart sends the same one, another agent that was given
 * the same id does not, so the coordinator can refuse the second. For placement: the artifacts it
 * holds ({@code cachedArtifacts}, newest last, at most {@link #MAX_CACHED_ARTIFACTS}) and the
 * memory it offers tasks ({@code memoryMb}, 0: not told).
 */
public record AgentIdentity(String agentId, String host, int slots, Map<String, String> labels,
                            String softwareVersion, String instanceId, List<String> cachedArtifacts, long memoryMb) {
    /** The most artifact hashes a registration lists (the coordinator refuses more). */
    public static final int MAX_CACHED_ARTIFACTS = 256;

    public AgentIdentity {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(softwareVersion, "softwareVersion");
        labels = Map.copyOf(labels);
        cachedArtifacts = cachedArtifacts == null ? List.of()
                : List.copyOf(cachedArtifacts.subList(Math.max(0, cachedArtifacts.size() - MAX_CACHED_ARTIFACTS),
                        cachedArtifacts.size()));
    }

    /** Without placement details. */
    public AgentIdentity(String agentId, String host, int slots, Map<String, String> labels, String softwareVersion,
                         String instanceId) {
        this(agentId, host, slots, labels, softwareVersion, instanceId, List.of(), 0);
    }

    /** The same identity with the artifacts it holds now. */
    public AgentIdentity withCachedArtifacts(List<String> hashes) {
        return new AgentIdentity(agentId, host, slots, labels, softwareVersion, instanceId, hashes, memoryMb);
    }
}
