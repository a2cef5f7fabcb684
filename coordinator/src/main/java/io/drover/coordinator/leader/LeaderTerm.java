package io.drover.coordinator.leader;

import io.drover.coordinator.engine.CoreLoop;
import io.drover.coordinator.schedule.TriggerEngine;
import io.drover.coordinator.store.ArtifactStore;
import io.drover.coordinator.store.Epoch;
import io.drover.coordinator.sweep.StoreSweeper;

/**
 * What the RPC layer needs from the current leadership term. {@code resultBlobs}: task results too large
 * to keep inline, stored like artifacts (chunked, verified, fenced) in their own area.
 */
public record LeaderTerm(Epoch epoch, CoreLoop loop, ArtifactStore artifacts, TriggerEngine triggers,
                         StoreSweeper sweeper, ArtifactStore resultBlobs) {
    /** Result blobs kept with the artifacts (tests that do not tell them apart). */
    public LeaderTerm(Epoch epoch, CoreLoop loop, ArtifactStore artifacts, TriggerEngine triggers, StoreSweeper sweeper) {
        this(epoch, loop, artifacts, triggers, sweeper, artifacts);
    }

    /** A term without cron triggers or housekeeping. */
    public LeaderTerm(Epoch epoch, CoreLoop loop, ArtifactStore artifacts) {
        this(epoch, loop, artifacts, TriggerEngine.none(), StoreSweeper.none());
    }

    /** A term without housekeeping. */
    public LeaderTerm(Epoch epoch, CoreLoop loop, ArtifactStore artifacts, TriggerEngine triggers) {
        this(epoch, loop, artifacts, triggers, StoreSweeper.none());
    }
}
