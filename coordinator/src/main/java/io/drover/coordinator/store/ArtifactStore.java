package io.drover.coordinator.store;

import java.util.List;
import java.util.Optional;

/**
 * Job artifacts (jars) by SHA-256, stored in chunks so any coordinator can serve them after a
 * failover. Writes are fenced like every leader write.
 */
public interface ArtifactStore {
    /** Size, completeness and resume offset of an artifact, if an upload ever began. */
    record Status(String sha256, long size, long bytesReceived, boolean complete) {
    }

    /**
     * An artifact as the sweep sees it: {@code modifiedAtMs} is the ZooKeeper server's time of the
     * last change to its metadata (begin, each chunk, a resume), {@code version} that change's
     * number, so a delete loses to any change made after the listing.
     */
    record Stored(Status status, long modifiedAtMs, int version) {
    }

    Optional<Status> status(String sha256);

    /** Every artifact whose upload began, complete or not. */
    List<Stored> list();

    /**
     * Removes the artifact (chunks and metadata) unless it changed since {@code seen} was listed.
     *
     * @return false when it changed or is already gone
     * @throws FencedException when a newer epoch exists
     */
    boolean delete(Epoch epoch, Stored seen);

    /**
     * Starts (or resumes) an upload of {@code size} bytes. Marks an existing artifact as touched now,
     * so the sweep keeps a jar whose upload a client just (re)confirmed before submitting.
     */
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
