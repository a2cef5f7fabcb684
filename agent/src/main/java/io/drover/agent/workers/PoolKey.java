package io.drover.agent.workers;

import java.util.Objects;

/** Workers are shared by tasks of the same artifact that need the same heap (fixed at JVM start). */
public record PoolKey(String artifactSha256, long heapMb) {
    public PoolKey {
        Objects.requireNonNull(artifactSha256, "artifactSha256");
    }

    @Override
    public String toString() {
        return "artifact " + artifactSha256.substring(0, Math.min(12, artifactSha256.length())) + ", heap " + heapMb + " MB";
    }
}
