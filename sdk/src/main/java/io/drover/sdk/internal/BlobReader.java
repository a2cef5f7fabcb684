package io.drover.sdk.internal;

import io.drover.protocol.Sha256;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.BlobChunk;
import io.drover.sdk.DroverException;
import io.drover.sdk.StoredResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Reads a job's result blob from the coordinator a chunk at a time, checking each chunk's checksum
 * and the whole result's hash, so neither the leader nor a client that streams it holds it whole.
 * Each chunk is one call, retried by the connection across a leader change.
 */
public final class BlobReader {
    private final ClientConnection connection;
    private final String jobId;

    public BlobReader(ClientConnection connection, String jobId) {
        this.connection = connection;
        this.jobId = jobId;
    }

    /** The whole result, in one array of exactly its size (at most 1 GiB by the wire's limit). */
    public byte[] readAll(StoredResult blob) {
        if (blob.size() > Integer.MAX_VALUE - 8) {
            throw new DroverException("result of job " + jobId + " is " + blob.size() + " bytes: too large for one array;"
                    + " use writeResult to stream it");
        }
        byte[] all = new byte[(int) blob.size()];
        copy(blob, (data, offset) -> System.arraycopy(data, 0, all, (int) offset, data.length));
        return all;
    }

    /** Writes the result to {@code out} as it arrives; returns its size. */
    public long write(StoredResult blob, OutputStream out) {
        copy(blob, (data, offset) -> {
            try {
                out.write(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return blob.size();
    }

    private interface Sink {
        void accept(byte[] data, long offset);
    }

    private void copy(StoredResult blob, Sink sink) {
        MessageDigest digest = Sha256.newDigest();
        Duration deadline = connection.deadlines().payload(WireLimits.ARTIFACT_CHUNK_BYTES);
        long offset = 0;
        while (offset < blob.size()) {
            long at = offset;
            BlobChunk c = connection.call(deadline,
                    client -> client.readResultBlob(jobId, blob.sha256(), at, WireLimits.ARTIFACT_CHUNK_BYTES));
            byte[] data = c.isSetData() ? c.getData() : new byte[0];
            if (c.getOffset() != offset || c.getTotalSize() != blob.size() || data.length == 0
                    || offset + data.length > blob.size() || !Sha256.hex(data).equals(c.getChunkSha256())) {
                throw new DroverException("the coordinator sent a damaged piece of job " + jobId + "'s result at byte "
                        + offset + "; try again");
            }
            digest.update(data);
            sink.accept(data, offset);
            offset += data.length;
        }
        String actual = Sha256.hex(digest);
        if (!actual.equals(blob.sha256())) {
            throw new DroverException("job " + jobId + "'s result arrived with hash " + actual + ", not " + blob.sha256());
        }
    }
}
