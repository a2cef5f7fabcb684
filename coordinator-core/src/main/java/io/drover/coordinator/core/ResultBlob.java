package io.drover.coordinator.core;

import java.util.Objects;

/**
 * A committed result too large to keep inline: the SHA-256 (lowercase hex) and size of its encoded
 * bytes, which live in the coordinator's blob store. The core only carries the reference.
 */
public record ResultBlob(String sha256, long size) {
    public ResultBlob {
        Objects.requireNonNull(sha256, "sha256");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a result blob's sha256 must be 64 lowercase hex characters");
        }
        if (size <= 0) {
            throw new IllegalArgumentException("a result blob has at least one byte, not " + size);
        }
    }
}
