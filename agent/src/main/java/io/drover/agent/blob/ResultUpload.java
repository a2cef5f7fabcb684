package io.drover.agent.blob;

import io.drover.agent.task.RequestRejectedException;
import io.drover.agent.task.ResultBlob;
import io.drover.protocol.NoLeaderException;
import io.drover.protocol.Sha256;
import io.drover.protocol.WireLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a result file to the coordinator in checksummed chunks of {@link WireLimits#ARTIFACT_CHUNK_BYTES},
 * reading one chunk at a time from disk. After a lost connection or a refused chunk it asks the
 * coordinator where to resume ({@link BlobLink#beginResultBlob}) and goes on from there; it gives up after
 * {@code maxSetbacks} failures in a row without progress. The coordinator verifies the whole blob
 * against its hash when the last chunk lands.
 */
public final class ResultUpload {
    private static final Logger log = LoggerFactory.getLogger(ResultUpload.class);
    static final int CHUNK = WireLimits.ARTIFACT_CHUNK_BYTES;

    private final BlobLink link;
    private final int maxSetbacks;

    public ResultUpload(BlobLink link, int maxSetbacks) {
        this.link = link;
        this.maxSetbacks = maxSetbacks;
    }

    /** Stores {@code file} (whose hash and size the caller knows) on the coordinator. */
    public ResultBlob send(Path file, ResultBlob blob) throws IOException, InterruptedException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            if (in.size() != blob.size()) {
                throw new IOException("result file " + file + " has " + in.size() + " bytes, not " + blob.size());
            }
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            UploadStatus status = begin(blob, 0);
            int setbacks = 0;
            while (!status.complete()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("upload of result " + blob.sha256() + " stopped");
                }
                long offset = status.bytesReceived();
                byte[] data = read(in, buffer, offset, (int) Math.min(CHUNK, blob.size() - offset));
                try {
                    status = link.uploadResultChunk(blob.sha256(), offset, data, Sha256.hex(data), blob.size());
                    setbacks = 0;
                } catch (NoLeaderException | RequestRejectedException e) {
                    // The chunk's fate is unknown (or it was refused): ask where the coordinator stands.
                    if (++setbacks > maxSetbacks) {
                        throw new IOException("storing result " + blob.sha256() + " failed " + setbacks
                                + " times in a row at byte " + offset + ": " + e.getMessage(), e);
                    }
                    log.info("result {}: chunk at {} not confirmed ({}); resuming", blob.sha256(), offset, e.getMessage());
                    status = begin(blob, setbacks);
                }
            }
            return blob;
        }
    }

    private UploadStatus begin(ResultBlob blob, int setbacks) throws IOException {
        for (int tries = setbacks; ; tries++) {
            try {
                UploadStatus s = link.beginResultBlob(blob.sha256(), blob.size());
                if (s.size() != blob.size()) {
                    throw new IOException("the coordinator holds result " + blob.sha256() + " with " + s.size()
                            + " bytes, not " + blob.size());
                }
                return s;
            } catch (NoLeaderException | RequestRejectedException e) {
                if (tries >= maxSetbacks) {
                    throw new IOException("cannot store result " + blob.sha256() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static byte[] read(FileChannel in, ByteBuffer buffer, long offset, int length) throws IOException {
        buffer.clear().limit(length);
        while (buffer.hasRemaining()) {
            if (in.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException("result file ended early at byte " + (offset + buffer.position()));
            }
        }
        byte[] data = new byte[length];
        buffer.flip().get(data);
        return data;
    }
}
