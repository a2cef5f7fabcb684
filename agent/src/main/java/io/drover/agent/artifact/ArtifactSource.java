package io.drover.agent.artifact;

/** Where artifact bytes come from (the coordinator, in production). */
@FunctionalInterface
public interface ArtifactSource {
    /**
     * Returns up to {@code maxBytes} of the artifact starting at {@code offset}.
     *
     * @throws io.drover.protocol.NoLeaderException when no coordinator answers
     * @throws io.drover.agent.task.RequestRejectedException when the coordinator does not have it
     */
    ArtifactPiece fetch(String sha256, long offset, int maxBytes);
}
