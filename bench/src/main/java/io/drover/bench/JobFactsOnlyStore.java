package io.drover.bench;

import io.drover.coordinator.core.Fact;
import io.drover.coordinator.core.RecoveredJob;
import io.drover.coordinator.store.ArtifactStore;
import io.drover.coordinator.store.CoordinatorStore;
import io.drover.coordinator.store.Epoch;
import java.util.List;

/**
 * Benchmark-only: persists job facts but drops task results, i.e. the durability the grid had
 * before results were group-committed. Never use it for real work: a failover loses results.
 */
final class JobFactsOnlyStore implements CoordinatorStore {
    private final CoordinatorStore delegate;

    JobFactsOnlyStore(CoordinatorStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Epoch acquireEpoch() {
        return delegate.acquireEpoch();
    }

    @Override
    public List<RecoveredJob> load() {
        return delegate.load();
    }

    @Override
    public void commit(Epoch epoch, List<Fact> facts) {
        List<Fact> jobFacts = facts.stream()
                .filter(f -> !(f instanceof Fact.TaskCommitted) && !(f instanceof Fact.TaskFailed)
                        && !(f instanceof Fact.TaskRetried)).toList();
        if (!jobFacts.isEmpty()) {
            delegate.commit(epoch, jobFacts);
        }
    }

    @Override
    public io.drover.coordinator.core.RecoveredState loadState() {
        return delegate.loadState();
    }

    @Override
    public void compact(Epoch epoch, List<Fact> snapshot) {
        delegate.compact(epoch, snapshot);
    }

    @Override
    public void compact(Epoch epoch, List<Fact> snapshot, Runnable progress) {
        delegate.compact(epoch, snapshot, progress);
    }

    @Override
    public ArtifactStore artifacts() {
        return delegate.artifacts();
    }
}
