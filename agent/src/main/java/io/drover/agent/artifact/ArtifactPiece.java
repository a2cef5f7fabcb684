package io.drover.agent.artifact;

import java.util.Objects;

/**
 * One chunk of an artifact as the coordinator sent it: the claimed artifact hash, where it
 * starts, the bytes, the hex SHA-256 of the bytes, and the artifact's total size.
 */
public record ArtifactPiece(String sha256, long offset, byte[] data, String chunkSha256, long totalSize) {
    public ArtifactPiece {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(chunkSha256, "chunkSha256");
    }
}
