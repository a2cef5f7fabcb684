package io.drover.coordinator.leader;

import io.drover.coordinator.engine.CoreLoop;
import io.drover.coordinator.store.ArtifactStore;
import io.drover.coordinator.store.Epoch;

/** What the RPC layer needs from the current leadership term. */
public record LeaderTerm(Epoch epoch, CoreLoop loop, ArtifactStore artifacts,
                         io.drover.coordinator.schedule.TriggerEngine triggers) {
    /** A term without cron triggers. */
    public LeaderTerm(Epoch epoch, CoreLoop loop, ArtifactStore artifacts) {
        this(epoch, loop, artifacts, io.drover.coordinator.schedule.TriggerEngine.none());
    }
}
