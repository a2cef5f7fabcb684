package io.drover.sdk;

import java.time.Instant;

/**
 * What the coordinators keep in ZooKeeper, as the leader measured it at its latest sweep (about
 * once a minute). A figure is -1 when the leader could not tell.
 *
 * @param factLogZnodes     znodes of the fact log and its snapshots
 * @param factLogBytes      their data, summed
 * @param uploadBytes       bytes received so far by unfinished uploads (removed after the coordinator's --upload-expiry)
 */
public record StoreStats(long factLogZnodes, long factLogBytes, int completeArtifacts, long completeArtifactBytes,
                         int uploadsInProgress, long uploadBytes, Instant measuredAt) {
}
