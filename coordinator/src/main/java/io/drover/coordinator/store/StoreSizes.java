package io.drover.coordinator.store;

/**
 * What the coordinator keeps in ZooKeeper, as operators see it in {@code drover agents}.
 *
 * @param factLogZnodes   znodes of the fact log and its snapshots
 * @param factLogBytes    their data, summed
 * @param uploadBytes     bytes received so far by unfinished uploads
 * @param measuredAtMs    when the sweep measured this (wall clock)
 */
public record StoreSizes(long factLogZnodes, long factLogBytes, int completeArtifacts, long completeBytes,
                         int uploadsInProgress, long uploadBytes, long measuredAtMs) {

    /** The fact log's share. */
    public record FactLog(long znodes, long bytes) {
    }
}
