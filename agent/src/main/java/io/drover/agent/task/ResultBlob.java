package io.drover.agent.task;

import java.util.Objects;

/**
 * A task result too large to report inline: already stored on the coordinator under the SHA-256
 * (lowercase hex) of its encoded bytes. Reports carry only this reference.
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
