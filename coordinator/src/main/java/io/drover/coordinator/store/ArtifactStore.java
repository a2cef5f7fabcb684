package io.drover.coordinator.store;

import java.util.Optional;

/**
 * Job artifacts (jars) by SHA-256, stored in chunks so any coordinator can serve them after a
 * failover. Writes are fenced like every leader write.
 */
public interface ArtifactStore {
    /** Size, completeness and resume offset of an artifact, if an upload ever began. */
    record Status(String sha256, long size, long bytesReceived, boolean complete) {
    }

    Optional<Status> status(String sha256);

    /** Starts (or resumes) an upload of {@code size} bytes. */
    Status begin(Epoch epoch, String sha256, long size);

    /**
     * Appends {@code data} at {@code offset}, which must equal the bytes received so far. After the
     * last byte the whole artifact is verified against its SHA-256.
     *
     * @throws IllegalArgumentException naming the problem (wrong offset, too large, hash mismatch)
     */
    Status append(Epoch epoch, String sha256, long offset, byte[] data);

    /** Up to {@code maxBytes} of a complete artifact from {@code offset}. */
    byte[] read(String sha256, long offset, int maxBytes);
}
