package io.drover.web.api.dto;

import java.util.List;

/**
 * The cluster as the coordinator that answered knows it: {@code servedBy} its id, whether it leads, the epoch,
 * the leader's endpoint, the other coordinators and its ZooKeeper connection state.
 */
public record ClusterJson(String servedBy, boolean leader, Long epoch, String leaderEndpoint, List<String> standbys,
                          String zooKeeper) {
    public ClusterJson {
        standbys = List.copyOf(standbys);
    }
}
