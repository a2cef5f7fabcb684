package io.drover.coordinator.store;

import io.drover.coordinator.core.Fact;
import io.drover.coordinator.core.RecoveredJob;
import java.util.List;

/**
 * The leader's durable memory. Every write is fenced by the epoch the leader took, so a deposed
 * leader (GC pause, partition) cannot change anything. Unreachable storage is a
 * {@link StoreException}, never an empty answer.
 */
public interface CoordinatorStore {

    /** Takes the next epoch with compare-and-set; the caller is the leader of that term. */
    Epoch acquireEpoch();

    /** All jobs the store knows, rebuilt from their facts. */
    List<RecoveredJob> load();

    /** Jobs and registered agents, rebuilt from the facts. */
    default io.drover.coordinator.core.RecoveredState loadState() {
        return io.drover.coordinator.core.RecoveredState.of(load());
    }

    /**
     * Writes {@code facts} atomically per ZooKeeper transaction (a group commit), each
     * transaction checking the epoch.
     *
     * @throws FencedException when a newer epoch exists
     */
    void commit(Epoch epoch, List<Fact> facts);

    /**
     * Like {@link #commit} but returns at once; commits complete in the order they were started,
     * and a failed one fails every later one. The future fails with {@link FencedException} or
     * {@link StoreException}. The default runs synchronously.
     */
    default java.util.concurrent.CompletableFuture<Void> commitAsync(Epoch epoch, List<Fact> facts) {
        try {
            commit(epoch, facts);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        } catch (StoreException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Replaces everything committed so far with {@code snapshot} (facts that rebuild the same
     * state), so the store stays bounded. Fenced like every write; a crash part-way leaves the
     * old log in force.
     */
    void compact(Epoch epoch, List<Fact> snapshot);

    /**
     * {@link #compact(Epoch, List)}, calling {@code progress} after each piece written. Compaction runs
     * on the core loop's thread; the watchdog counts these calls as the loop being alive, so a long
     * compaction that keeps writing is not taken for a stuck loop.
     */
    default void compact(Epoch epoch, List<Fact> snapshot, Runnable progress) {
        compact(epoch, snapshot);
    }

    /**
     * {@link #compact(Epoch, List, Runnable)} with finished jobs apart: a store may write each finished job's
     * facts once and keep them beside later snapshots. The default writes them all into the snapshot.
     */
    default void compact(Epoch epoch, io.drover.coordinator.core.DurableSnapshot snapshot, Runnable progress) {
        compact(epoch, snapshot.allFacts(), progress);
    }

    ArtifactStore artifacts();

    /**
     * Task results too large to keep inline (issue 17), stored as artifacts are: chunked, verified and
     * fenced, where every coordinator reads them after a failover. Stores without an area of their own
     * keep them with the artifacts.
     */
    default ArtifactStore resultBlobs() {
        return artifacts();
    }

    /** Znodes and bytes of the fact log and its snapshots; empty where the store cannot tell. Blocks. */
    default java.util.Optional<StoreSizes.FactLog> factLogSize() {
        return java.util.Optional.empty();
    }
}
