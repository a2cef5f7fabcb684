package io.drover.agent.blob;

import io.drover.agent.artifact.ArtifactPiece;

/**
 * The coordinator's result blob calls, in the agent's terms. Every method throws
 * {@link io.drover.protocol.NoLeaderException} when no leader answers within the link's deadline and
 * {@link io.drover.agent.task.RequestRejectedException} when the coordinator refuses the request.
 */
public interface BlobLink {
    /** Starts or resumes the upload of a blob of {@code size} bytes. */
    UploadStatus beginResultBlob(String sha256, long size);

    /** Appends {@code data} at {@code offset} (the resume point); {@code chunkSha256} covers the data. */
    UploadStatus uploadResultChunk(String sha256, long offset, byte[] data, String chunkSha256, long totalSize);

    /** Up to {@code maxBytes} of a complete blob from {@code offset}. */
    ArtifactPiece fetchResultBlob(String sha256, long offset, int maxBytes);
}
