package io.drover.sdk;

import java.time.Instant;
import java.util.Map;

/** An agent as the leader sees it: ALIVE, SUSPECT, LOST or DRAINING. */
public record AgentStatus(String agentId, String host, String state, int slots, int running,
                          Instant lastHeartbeat, Map<String, String> labels, long completedTasks) {
}
