package io.drover.coordinator.leader;

import io.drover.coordinator.engine.CoreLoop;
import io.drover.coordinator.schedule.TriggerEngine;
import io.drover.coordinator.store.ArtifactStore;
import io.drover.coordinator.store.Epoch;
import io.drover.coordinator.sweep.StoreSweeper;

/** What the RPC layer needs from the current leadership term. */
public record LeaderTerm(Epoch epoch, CoreLoop loop, ArtifactStore artifacts, TriggerEngine triggers,
                         StoreSweeper sweeper) {
    /** A term without cron triggers or housekeeping. */
    public LeaderTerm(Epoch epoch, CoreLoop loop, ArtifactStore artifacts) {
        this(epoch, loop, artifacts, TriggerEngine.none(), StoreSweeper.none());
    }

    /** A term without housekeeping. */
    public LeaderTerm(Epoch epoch, CoreLoop loop, ArtifactStore artifacts, TriggerEngine triggers) {
        this(epoch, loop, artifacts, triggers, StoreSweeper.none());
    }
}
