package io.drover.agent.exec;

import io.drover.agent.artifact.ArtifactCache;
import java.util.List;

/**
 * One attempt's upstream ends, with the cached blob files they name leased until {@link #close()}:
 * the cache does not evict a file a task may still read.
 */
final class UpstreamInputs implements AutoCloseable {
    private final List<FetchedUpstream> upstream;
    private final List<ArtifactCache.Lease> leases;

    UpstreamInputs(List<FetchedUpstream> upstream, List<ArtifactCache.Lease> leases) {
        this.upstream = List.copyOf(upstream);
        this.leases = List.copyOf(leases);
    }

    static UpstreamInputs none() {
        return new UpstreamInputs(List.of(), List.of());
    }

    List<FetchedUpstream> list() {
        return upstream;
    }

    @Override
    public void close() {
        leases.forEach(ArtifactCache.Lease::close);
    }
}
