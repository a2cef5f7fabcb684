package io.drover.web;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the coordinator serving a request knows locally about the cluster (no call to the leader).
 *
 * @param coordinatorId   this coordinator's id
 * @param leader          whether it leads now
 * @param epoch           the leader epoch it knows (its own when leading), empty before any
 * @param leaderEndpoint  the leader's client endpoint ({@code host:port}), empty when unknown
 * @param standbys        client endpoints of the other coordinators it knows
 * @param zooKeeper       its ZooKeeper connection state ({@code CONNECTED}, {@code SUSPENDED}, {@code LOST}, ...)
 */
public record ClusterInfo(String coordinatorId, boolean leader, Optional<Long> epoch, Optional<String> leaderEndpoint,
                          List<String> standbys, String zooKeeper) {
    public ClusterInfo {
        Objects.requireNonNull(coordinatorId, "coordinatorId");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(leaderEndpoint, "leaderEndpoint");
        Objects.requireNonNull(zooKeeper, "zooKeeper");
        standbys = List.copyOf(standbys);
    }
}
