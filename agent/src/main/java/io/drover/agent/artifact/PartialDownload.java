package io.drover.agent.artifact;

import io.drover.agent.platform.PrivateFiles;
import io.drover.protocol.Sha256;
import io.drover.agent.task.ArtifactRef;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;

/**
 * An artifact download in progress, kept on disk so a broken one continues where it stopped, even
 * after an agent restart: {@code <sha256>.part} holds the chunks received so far and
 * {@code <sha256>.part.len} how many of its bytes were verified (each chunk against its own
 * checksum). A chunk is synced before the length that covers it is recorded, and bytes past the
 * recorded length are cut off on resume. The whole-file hash is still checked at the end, so a
 * damaged prefix can cost a second download but never a wrong jar.
 *
 * <p>Classic file streams, not NIO channels: a cancelled task's interrupt must not turn into a
 * storage error. Not thread-safe: {@link ArtifactCache} runs one download per artifact at a time.
 */
final class PartialDownload implements AutoCloseable {
    private final Path data;
    private final Path length;
    private final RandomAccessFile file;
    private final MessageDigest digest;
    private long verified;

    private PartialDownload(Path data, Path length, RandomAccessFile file, MessageDigest digest, long verified) {
        this.data = data;
        this.length = length;
        this.file = file;
        this.digest = digest;
        this.verified = verified;
    }

    /**
     * Picks up the verified part of an earlier download of {@code artifact} in {@code dir}, or starts
     * an empty one. Only downloads of known size resume (the size bounds what a length file may claim).
     */
    static PartialDownload resumeOrStart(Path dir, ArtifactRef artifact) throws IOException {
        Path data = dir.resolve(artifact.sha256() + ".part");
        Path length = dir.resolve(artifact.sha256() + ".part.len");
        long verified = usableLength(data, length, artifact);
        if (verified == 0) {
            Files.deleteIfExists(length);
        }
        RandomAccessFile file = new RandomAccessFile(PrivateFiles.file(data).toFile(), "rw");
        try {
            file.setLength(verified); // bytes written after the last recorded chunk were never verified
            MessageDigest digest = Sha256.newDigest();
            byte[] buffer = new byte[64 * 1024];
            for (long left = verified; left > 0; ) {
                int n = file.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException(data + " ended before its verified length " + verified);
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
            return new PartialDownload(data, length, file, digest, verified);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static long usableLength(Path data, Path length, ArtifactRef artifact) throws IOException {
        if (artifact.size() == 0 || !Files.exists(length) || !Files.exists(data)) {
            return 0;
        }
        try {
            long recorded = Long.parseLong(Files.readString(length, StandardCharsets.US_ASCII).strip());
            return recorded > 0 && recorded <= artifact.size() && recorded <= Files.size(data) ? recorded : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Bytes already received and verified: the next chunk starts here. */
    long verifiedLength() {
        return verified;
    }

    /** Adds a verified chunk: written and synced, then its end recorded (atomically). */
    void append(byte[] chunk) throws IOException {
        file.write(chunk);
        file.getFD().sync();
        digest.update(chunk);
        verified += chunk.length;
        Path temp = length.resolveSibling(length.getFileName() + ".tmp");
        PrivateFiles.writeString(temp, Long.toString(verified));
        Files.move(temp, length, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Hex SHA-256 of everything received; call once, at the end. */
    String hash() {
        return Sha256.hex(digest);
    }

    /** Moves the finished file to {@code target} atomically and forgets the download. */
    void completeAs(Path target) throws IOException {
        file.close();
        Files.move(data, target, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(length);
    }

    /** Deletes what was received: the next download starts from zero. */
    void discard() throws IOException {
        file.close();
        Files.deleteIfExists(length);
        Files.deleteIfExists(data);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
