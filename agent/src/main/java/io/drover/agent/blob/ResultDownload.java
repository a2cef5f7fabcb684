package io.drover.agent.blob;

import io.drover.agent.artifact.ArtifactPiece;
import io.drover.agent.task.RequestRejectedException;
import io.drover.agent.task.ResultBlob;
import io.drover.protocol.NoLeaderException;
import io.drover.protocol.Sha256;
import io.drover.protocol.WireLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Fetches a result blob (a reduce task's input) to a file a chunk at a time, checking each chunk's
 * checksum and the whole file's hash. A lost connection resumes at the bytes already written; it gives
 * up after {@code maxSetbacks} failures in a row without progress.
 */
public final class ResultDownload {
    private final BlobLink link;
    private final int maxSetbacks;

    public ResultDownload(BlobLink link, int maxSetbacks) {
        this.link = link;
        this.maxSetbacks = maxSetbacks;
    }

    public Path fetch(ResultBlob blob, Path file) throws IOException, InterruptedException {
        MessageDigest digest = Sha256.newDigest();
        long offset = 0;
        int setbacks = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (offset < blob.size()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("download of result " + blob.sha256() + " stopped");
                }
                ArtifactPiece piece;
                try {
                    piece = link.fetchResultBlob(blob.sha256(), offset, WireLimits.ARTIFACT_CHUNK_BYTES);
                } catch (NoLeaderException | RequestRejectedException e) {
                    if (++setbacks > maxSetbacks) {
                        throw new IOException("fetching result " + blob.sha256() + " failed " + setbacks
                                + " times in a row at byte " + offset + ": " + e.getMessage(), e);
                    }
                    Setbacks.pause(setbacks); // a new leader refuses until it knows this agent's attempts
                    continue;
                }
                byte[] data = piece.data();
                if (piece.offset() != offset || piece.totalSize() != blob.size() || data.length == 0
                        || offset + data.length > blob.size() || !Sha256.hex(data).equals(piece.chunkSha256())) {
                    if (++setbacks > maxSetbacks) {
                        throw new IOException("result " + blob.sha256() + ": the coordinator keeps sending a bad chunk at "
                                + offset);
                    }
                    continue;
                }
                out.write(data);
                digest.update(data);
                offset += data.length;
                setbacks = 0;
            }
        }
        String actual = Sha256.hex(digest);
        if (!actual.equals(blob.sha256())) {
            Files.deleteIfExists(file);
            throw new IOException("result " + blob.sha256() + " arrived with hash " + actual);
        }
        return file;
    }
}
