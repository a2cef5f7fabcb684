package io.drover.web.api.dto;

import java.util.Map;

/**
 * An agent as the leader sees it: {@code state} ALIVE, SUSPECT, LOST or DRAINING; {@code silentForSeconds} while it
 * is not ALIVE; {@code pendingAction} what happens to its work next per its pool's policy.
 */
public record AgentJson(String id, String host, String state, String pool, int slots, int running,
                        String lastHeartbeat, long heartbeatAgeSeconds, Map<String, String> labels, long completedTasks,
                        Long silentForSeconds, String pendingAction, String version) {
    public AgentJson {
        labels = Map.copyOf(labels);
    }
}
