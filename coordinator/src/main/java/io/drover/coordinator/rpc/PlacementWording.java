package io.drover.coordinator.rpc;

import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.core.PlacementWait;
import io.drover.protocol.thrift.PlacementBlocker;
import io.drover.protocol.thrift.PlacementSpec;
import java.util.ArrayList;
import java.util.List;

/** A job's placement settings and why it waits, for the job view: the structure and one readable line. */
final class PlacementWording {
    private PlacementWording() {
    }

    /** The job's constraints and spread label, or null when it has neither. */
    static PlacementSpec spec(JobDefinition d) {
        if (d.constraints().isEmpty() && d.spreadLabel() == null) {
            return null;
        }
        List<io.drover.protocol.thrift.PlacementConstraint> constraints = new ArrayList<>();
        d.constraints().forEach(c -> constraints.add(PlacementSettings.wire(c)));
        PlacementSpec spec = new PlacementSpec(constraints);
        return d.spreadLabel() == null ? spec : spec.setSpreadLabel(d.spreadLabel());
    }

    static io.drover.protocol.thrift.PlacementWait waiting(PlacementWait w) {
        List<PlacementBlocker> blockers = new ArrayList<>(w.blockers().size());
        for (PlacementWait.Blocker b : w.blockers()) {
            PlacementBlocker pb = new PlacementBlocker(b.kind().name(), b.agentsFailing(), b.needed(), b.mostOffered());
            if (b.constraint() != null) {
                pb.setConstraint(PlacementSettings.wire(b.constraint()));
            }
            blockers.add(pb);
        }
        return new io.drover.protocol.thrift.PlacementWait(w.agentsTakingWork(), blockers, summary(w));
    }

    /** E.g. "no agent can run its tasks: 3 of 3 agents fail gpu in (a100,h100)". */
    static String summary(PlacementWait w) {
        if (w.agentsTakingWork() == 0) {
            return "no agent is taking work (none registered, or all draining or not heard from)";
        }
        List<String> parts = new ArrayList<>();
        for (PlacementWait.Blocker b : w.blockers()) {
            String of = b.agentsFailing() + " of " + w.agentsTakingWork() + " agents";
            parts.add(switch (b.kind()) {
                case CONSTRAINT -> of + " fail " + b.constraint();
                case SLOTS -> "a task needs " + b.needed() + " slots, " + of + " have fewer (most: " + b.mostOffered() + ")";
                case MEMORY -> "a task needs " + b.needed() + " MB, " + of + " offer less (most: " + b.mostOffered() + " MB)";
            });
        }
        return "no agent can run its tasks: " + String.join("; ", parts);
    }
}
