package io.drover.coordinator.web;

import io.drover.coordinator.leader.LeadershipHistory;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The cluster as this coordinator sees it now, for health checks and the console's cluster view.
 *
 * @param coordinatorId this coordinator's "host:port" (its Thrift endpoint, as in leader hints)
 * @param leader whether this coordinator leads
 * @param epoch the epoch this coordinator leads, 0 when it does not lead
 * @param leaderEndpoint the leader's "host:port" when known (this one's own when it leads)
 * @param standbys the other coordinators in the election, not leading; empty when ZooKeeper cannot be
 *     asked now (not an empty list: "unknown" must not look like "none")
 * @param zooKeeperState the ZooKeeper session's latest state as Curator names it (CONNECTED, SUSPENDED,
 *     LOST, RECONNECTED), or LATENT before the first connection
 * @param recentLeadershipChanges when this coordinator last gained or lost leadership, oldest first (bounded)
 * @param at when this was taken
 */
public record ClusterInfo(String coordinatorId, boolean leader, long epoch, Optional<String> leaderEndpoint,
                          Optional<List<String>> standbys, String zooKeeperState,
                          List<LeadershipHistory.Change> recentLeadershipChanges, Instant at) {
    public ClusterInfo {
        standbys = standbys.map(List::copyOf);
        recentLeadershipChanges = List.copyOf(recentLeadershipChanges);
    }
}
