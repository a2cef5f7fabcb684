package io.drover.web;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the coordinator serving a request knows locally about the cluster (no call to the leader). The fields
 * follow the coordinator's own cluster view, so the coordinator process maps one to the other field by field.
 *
 * @param coordinatorId   this coordinator's {@code host:port}
 * @param leader          whether it leads now
 * @param epoch           the epoch it leads, 0 when it does not lead
 * @param leaderEndpoint  the leader's {@code host:port}, empty when unknown
 * @param standbys        the other coordinators, not leading; empty when they cannot be asked now (unknown is
 *                        not "none")
 * @param zooKeeper       its ZooKeeper session state ({@code CONNECTED}, {@code SUSPENDED}, {@code LOST}, ...)
 * @param recentChanges   when this coordinator last gained or lost leadership, oldest first (bounded)
 */
public record ClusterInfo(String coordinatorId, boolean leader, long epoch, Optional<String> leaderEndpoint,
                          Optional<List<String>> standbys, String zooKeeper, List<LeadershipChange> recentChanges) {
    public ClusterInfo {
        Objects.requireNonNull(coordinatorId, "coordinatorId");
        Objects.requireNonNull(leaderEndpoint, "leaderEndpoint");
        Objects.requireNonNull(zooKeeper, "zooKeeper");
        standbys = standbys.map(List::copyOf);
        recentChanges = List.copyOf(recentChanges);
    }

    /** One change: {@code gained} true when this coordinator took over {@code epoch}, else it stopped leading it. */
    public record LeadershipChange(Instant at, long epoch, boolean gained, String reason) {
    }
}
