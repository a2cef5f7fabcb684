package io.drover.agent.artifact;

import io.drover.agent.link.RequestRejectedException;
import io.drover.agent.task.ArtifactRef;
import io.drover.sdk.internal.WireLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job artifacts on local disk, as {@code <dir>/<sha256>.jar}, fetched once and verified.
 *
 * <p>A download goes to {@code <sha256>.part} in the same directory, chunk by chunk, each chunk
 * checked against its own SHA-256 and the whole file against the artifact's, and only then is moved
 * into place atomically: a file under its final name is always complete. A broken download (link
 * down, task cancelled, agent restarted) continues from the last verified chunk next time
 * ({@link PartialDownload}). A file found on disk from an earlier run is re-hashed once per process
 * before use, since a crash or a disk fault may have damaged it. Concurrent requests for one
 * artifact share a single download; a failed download is forgotten so the next request tries again.
 */
public final class ArtifactCache {
    private static final Logger log = LoggerFactory.getLogger(ArtifactCache.class);

    private final Path dir;
    private final ArtifactSource source;
    private final int chunkBytes;
    private final ConcurrentHashMap<String, CompletableFuture<Path>> entries = new ConcurrentHashMap<>();

    public ArtifactCache(Path dir, ArtifactSource source) {
        this(dir, source, WireLimits.ARTIFACT_CHUNK_BYTES);
    }

    ArtifactCache(Path dir, ArtifactSource source, int chunkBytes) {
        this.dir = dir;
        this.source = source;
        this.chunkBytes = chunkBytes;
    }

    /**
     * The verified local file of {@code artifact}, downloading it first when needed.
     *
     * @throws ArtifactException when the artifact is missing on the coordinator, corrupt, or cannot be stored
     * @throws io.drover.sdk.CoordinatorUnavailableException when no coordinator answers (worth retrying later)
     */
    public Path get(ArtifactRef artifact) throws ArtifactException, InterruptedException {
        while (true) {
            CompletableFuture<Path> mine = new CompletableFuture<>();
            CompletableFuture<Path> existing = entries.putIfAbsent(artifact.sha256(), mine);
            if (existing == null) {
                return loadInto(mine, artifact);
            }
            try {
                return existing.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof InterruptedException)) {
                    throw rethrowable(e.getCause(), artifact);
                }
                // The thread that was downloading it got cancelled; this one tries itself.
            }
        }
    }

    /** Whether the artifact is on disk under its final name (for tests and diagnostics). */
    public boolean isCached(String sha256) {
        return Files.exists(fileOf(sha256));
    }

    public Path directory() {
        return dir;
    }

    private Path loadInto(CompletableFuture<Path> mine, ArtifactRef artifact) throws ArtifactException, InterruptedException {
        try {
            Path path = load(artifact);
            mine.complete(path);
            return path;
        } catch (ArtifactException | InterruptedException | RuntimeException | Error e) {
            entries.remove(artifact.sha256(), mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private Path load(ArtifactRef artifact) throws ArtifactException, InterruptedException {
        Path target = fileOf(artifact.sha256());
        try {
            Files.createDirectories(dir);
            if (Files.exists(target)) {
                if (Sha256.hexOfFile(target).equals(artifact.sha256())) {
                    return target;
                }
                log.warn("cached {} is damaged (hash differs); deleting it and fetching it again", artifact);
                Files.delete(target);
            }
            return download(artifact, target);
        } catch (IOException e) {
            throw new ArtifactException("cannot store " + artifact + " under " + dir + ": " + e, e);
        }
    }

    private Path download(ArtifactRef artifact, Path target) throws IOException, ArtifactException, InterruptedException {
        long started = System.nanoTime();
        try (PartialDownload partial = PartialDownload.resumeOrStart(dir, artifact)) {
            long resumedAt = partial.verifiedLength();
            if (resumedAt > 0) {
                log.info("resuming the download of {} at byte {}", artifact, resumedAt);
            }
            copyChunks(artifact, partial);
            String actual = partial.hash();
            if (!actual.equals(artifact.sha256())) {
                partial.discard();
                if (resumedAt > 0) {
                    log.warn("{} resumed at byte {} does not match its hash (the kept part was damaged); fetching it "
                            + "again from the start", artifact, resumedAt);
                    return download(artifact, target); // nothing left to resume: this recursion ends
                }
                throw new ArtifactException("artifact " + artifact.sha256() + " is corrupt: its " + partial.verifiedLength()
                        + " bytes hash to " + actual + "; refusing to run it");
            }
            partial.completeAs(target);
            log.info("fetched {} in {} ms{}", artifact, (System.nanoTime() - started) / 1_000_000,
                    resumedAt > 0 ? " (resumed at byte " + resumedAt + ")" : "");
            return target;
        }
    }

    /**
     * Fetches the chunks after what {@code partial} already holds, each checked before it is kept.
     * Whatever ends the loop early (interrupt, unreachable coordinator, a bad chunk) leaves the
     * verified part on disk for the next attempt.
     */
    private void copyChunks(ArtifactRef artifact, PartialDownload partial)
            throws IOException, ArtifactException, InterruptedException {
        long offset = partial.verifiedLength();
        long total = artifact.size(); // 0: not known yet, learnt from the first chunk
        if (total > 0 && offset >= total) {
            return; // every chunk arrived before; the last run stopped before moving the file into place
        }
        do {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while fetching " + artifact);
            }
            ArtifactPiece piece = fetch(artifact, offset);
            total = checkPiece(artifact, piece, offset, offset == 0 && total == 0 ? piece.totalSize() : total);
            partial.append(piece.data());
            offset += piece.data().length;
        } while (offset < total);
    }

    private ArtifactPiece fetch(ArtifactRef artifact, long offset) throws ArtifactException {
        try {
            return source.fetch(artifact.sha256(), offset, chunkBytes);
        } catch (RequestRejectedException e) {
            throw new ArtifactException("coordinator refused to send " + artifact + " at offset " + offset
                    + ": " + e.getMessage(), e);
        }
    }

    /** Checks one chunk against what was asked and its own checksum; returns the artifact's total size. */
    private long checkPiece(ArtifactRef artifact, ArtifactPiece piece, long offset, long total) throws ArtifactException {
        String where = "artifact " + artifact.sha256() + " chunk at offset " + offset;
        if (!piece.sha256().equals(artifact.sha256()) || piece.offset() != offset) {
            throw new ArtifactException(where + ": coordinator answered with " + piece.sha256() + " at offset " + piece.offset());
        }
        if (piece.totalSize() != total) {
            throw new ArtifactException(where + ": total size " + piece.totalSize() + " differs from expected " + total);
        }
        if (total > 0 && (piece.data().length == 0 || offset + piece.data().length > total)) {
            throw new ArtifactException(where + ": " + piece.data().length + " bytes do not fit a " + total + "-byte artifact");
        }
        if (!Sha256.hex(piece.data()).equalsIgnoreCase(piece.chunkSha256())) {
            throw new ArtifactException(where + " is corrupt: its bytes do not match the chunk checksum " + piece.chunkSha256());
        }
        return total;
    }

    private Path fileOf(String sha256) {
        return dir.resolve(sha256 + ".jar");
    }

    private static ArtifactException rethrowable(Throwable cause, ArtifactRef artifact) {
        if (cause instanceof RuntimeException r) {
            throw r; // e.g. coordinator unavailable: the caller decides, same as for the first requester
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new ArtifactException(cause.getMessage() == null ? "fetching " + artifact + " failed" : cause.getMessage(), cause);
    }
}
