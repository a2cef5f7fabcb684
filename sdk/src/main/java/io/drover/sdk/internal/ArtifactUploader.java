package io.drover.sdk.internal;

import io.drover.protocol.WireLimits;
import io.drover.sdk.DroverException;
import io.drover.sdk.InvalidJobException;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.ArtifactStatus;
import io.drover.protocol.thrift.ClientService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Uploads a job jar to the leader, content-addressed by SHA-256, in checksummed chunks.
 *
 * <p>Resumable by construction: the coordinator's {@code beginUpload} answer says how many bytes
 * it already holds, and the upload continues from there. A chunk whose call had to be retried
 * (broken connection, leader change) is not blindly re-sent: the retry asks the (possibly new)
 * leader for its resume point again, so a chunk that did land is never appended twice.
 */
public final class ArtifactUploader {
    /** Consecutive answers that do not advance the upload before giving up. */
    private static final int MAX_STALLS = 5;

    private final ClientConnection connection;
    private final int chunkBytes;

    public ArtifactUploader(ClientConnection connection, int chunkBytes) {
        if (chunkBytes < 1 || chunkBytes > WireLimits.ARTIFACT_CHUNK_BYTES) {
            throw new IllegalArgumentException("chunkBytes must be 1.." + WireLimits.ARTIFACT_CHUNK_BYTES + ", was " + chunkBytes);
        }
        this.connection = connection;
        this.chunkBytes = chunkBytes;
    }

    /**
     * Makes sure the leader stores {@code jar} and returns its lowercase hex SHA-256.
     *
     * @throws InvalidJobException when the file is missing, empty, or the coordinator rejects it
     *         (for example because the file changed while it was being uploaded)
     */
    public String upload(Path jar) {
        long size = sizeOf(jar);
        String sha = sha256Hex(jar);
        ArtifactStatus status = connection.call(c -> c.beginUpload(sha, size));
        int stalls = 0;
        try (FileChannel channel = FileChannel.open(jar, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(chunkBytes);
            while (!status.isComplete()) {
                long offset = status.getBytesReceived();
                if (offset < 0 || offset > size) {
                    throw new DroverException("coordinator asked to resume upload of " + jar + " at byte "
                            + offset + ", outside 0.." + size);
                }
                ArtifactChunk chunk = readChunk(channel, buffer, sha, offset, size);
                ArtifactStatus next = sendOrResync(chunk);
                stalls = next.isComplete() || next.getBytesReceived() > offset ? 0 : stalls + 1;
                if (stalls >= MAX_STALLS) {
                    throw new DroverException("upload of " + jar + " makes no progress at byte " + offset);
                }
                status = next;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
        return sha;
    }

    private ArtifactStatus sendOrResync(ArtifactChunk chunk) {
        int[] attempts = {0};
        return connection.call(connection.deadlines().payload(chunk.getData().length), (ClientService.Client c) -> {
            if (attempts[0]++ > 0) {
                return c.beginUpload(chunk.getSha256(), chunk.getTotalSize());
            }
            return c.uploadChunk(chunk);
        });
    }

    private static ArtifactChunk readChunk(FileChannel channel, ByteBuffer buffer, String sha, long offset, long size)
            throws IOException {
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), size - offset));
        long position = offset;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new InvalidJobException("job jar shrank while uploading (ended at byte " + position + ")");
            }
            position += n;
        }
        buffer.flip();
        byte[] data = new byte[buffer.remaining()];
        buffer.get(data);
        return new ArtifactChunk(sha, offset, ByteBuffer.wrap(data), sha256Hex(data), size);
    }

    private static long sizeOf(Path jar) {
        try {
            long size = Files.size(jar);
            if (size == 0) {
                throw new InvalidJobException("job jar " + jar + " is empty");
            }
            return size;
        } catch (IOException e) {
            throw new InvalidJobException("job jar " + jar + " cannot be read: " + e);
        }
    }

    /** Lowercase hex SHA-256 of a file's content. */
    public static String sha256Hex(Path file) {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new InvalidJobException("job jar " + file + " cannot be read: " + e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Lowercase hex SHA-256 of {@code data}. */
    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(newDigest().digest(data));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

}
