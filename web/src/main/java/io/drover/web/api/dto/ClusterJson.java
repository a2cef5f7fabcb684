package io.drover.web.api.dto;

import java.util.List;

/**
 * The cluster as the coordinator that answered knows it: {@code servedBy} its id, whether it leads, the epoch it
 * leads (null when it does not), the leader's endpoint, the other coordinators (null when it cannot tell now),
 * its ZooKeeper session state, and its recent leadership changes (oldest first).
 */
public record ClusterJson(String servedBy, boolean leader, Long epoch, String leaderEndpoint, List<String> standbys,
                          String zooKeeper, List<LeadershipChangeJson> recentChanges) {
    public ClusterJson {
        standbys = standbys == null ? null : List.copyOf(standbys);
        recentChanges = List.copyOf(recentChanges);
    }

    /** This coordinator took over ({@code gained}) or stopped leading {@code epoch} at {@code at}, and why. */
    public record LeadershipChangeJson(String at, long epoch, boolean gained, String reason) {
    }
}
