package io.drover.coordinator.rpc;

import io.drover.protocol.thrift.AgentRegistration;
import java.util.List;

/** What a registering agent says for placement (checked by {@link AgentRequests}), as core values. */
final class PlacementReports {
    /** Artifacts an agent may list; the core keeps no more per agent. */
    static final int MAX_CACHED_ARTIFACTS = 256;
    /** 1 PiB: anything above is a wrong unit, not a machine. */
    static final long MAX_MEMORY_MB = 1L << 30;

    private PlacementReports() {
    }

    static List<String> cachedArtifacts(AgentRegistration r) {
        return r.isSetPlacement() && r.getPlacement().isSetCachedArtifacts() ? r.getPlacement().getCachedArtifacts() : List.of();
    }

    static long memoryMb(AgentRegistration r) {
        return r.isSetPlacement() ? r.getPlacement().getMemoryMb() : 0;
    }
}
