package io.drover.agent.artifact;

import io.drover.agent.platform.PrivateFiles;
import io.drover.protocol.Sha256;
import io.drover.agent.task.RequestRejectedException;
import io.drover.agent.task.ArtifactRef;
import io.drover.protocol.WireLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job artifacts on local disk, as {@code <dir>/<sha256>.jar}, fetched once, verified on every
 * load and bounded in total size.
 *
 * <p>A download goes to {@code <sha256>.part} in the same directory, chunk by chunk, each chunk
 * checked against its own SHA-256 and the whole file against the artifact's, and only then is moved
 * into place atomically: a file under its final name is always complete. A broken download (link
 * down, task cancelled, agent restarted) continues from the last verified chunk next time
 * ({@link PartialDownload}). Concurrent requests for one artifact share a single download; a failed
 * download leaves nothing behind but the verified part, so the next request tries again.
 *
 * <p>An {@link #acquire} re-hashes the file before handing it out unless it is the very file this
 * cache verified last (same size, modification time and inode): a jar replaced or rewritten on
 * disk since (an operator's copy, a truncation) is deleted and fetched again instead of being
 * loaded, and the first load after the agent starts always hashes. Callers acquire once per task
 * start, so hashing every time cost a read and a hash of the whole jar per task (the largest
 * per-task cost of warm worker tasks on the agent when measured).
 *
 * <p>The cache holds at most {@code maxBytes} of jars: after each download the least recently used
 * ones not leased right now are deleted. A leased jar is never deleted, even if that leaves the
 * cache over its bound for a while (logged), since a task or a class loader is reading it.
 */
public final class ArtifactCache {
    private static final Logger log = LoggerFactory.getLogger(ArtifactCache.class);

    private final Path dir;
    private final String suffix; // of files under their final names: ".jar" for job artifacts
    private final ArtifactSource source;
    private final int chunkBytes;
    private final long maxBytes;
    /** One lock per artifact: held while it is verified, downloaded or evicted. */
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** What is on disk under final names, by hash; guarded by {@code this}. */
    private final Map<String, Entry> entries = new HashMap<>();
    private long useCounter; // recency order for LRU; guarded by this
    private long evictions; // guarded by this
    private final java.util.concurrent.atomic.LongAdder hits = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder misses = new java.util.concurrent.atomic.LongAdder();

    public ArtifactCache(Path dir, ArtifactSource source, long maxBytes) {
        this(dir, source, WireLimits.ARTIFACT_CHUNK_BYTES, maxBytes, ".jar");
    }

    /** A cache of other content-addressed files (result blobs), named {@code <sha256><suffix>}. */
    public ArtifactCache(Path dir, ArtifactSource source, long maxBytes, String suffix) {
        this(dir, source, WireLimits.ARTIFACT_CHUNK_BYTES, maxBytes, suffix);
    }

    ArtifactCache(Path dir, ArtifactSource source, int chunkBytes, long maxBytes) {
        this(dir, source, chunkBytes, maxBytes, ".jar");
    }

    private ArtifactCache(Path dir, ArtifactSource source, int chunkBytes, long maxBytes, String suffix) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("artifact cache size must be positive, was " + maxBytes);
        }
        if (!suffix.matches("\\.[a-z]{1,10}") || suffix.equals(".part")) {
            throw new IllegalArgumentException("a cache file suffix is a dot and 1..10 letters (not .part), was '" + suffix + "'");
        }
        this.suffix = suffix;
        this.dir = dir;
        this.source = source;
        this.chunkBytes = chunkBytes;
        this.maxBytes = maxBytes;
        adoptFilesOnDisk();
        evictBeyondBound();
    }

    /** A verified artifact on disk that stays there until {@link #close()}. */
    public final class Lease implements AutoCloseable {
        private final String sha256;
        private final Path path;
        private boolean closed;

        private Lease(String sha256, Path path) {
            this.sha256 = sha256;
            this.path = path;
        }

        public Path path() {
            return path;
        }

        @Override
        public void close() {
            synchronized (ArtifactCache.this) {
                if (closed) {
                    return;
                }
                closed = true;
                Entry e = entries.get(sha256);
                if (e != null) {
                    e.leases--;
                }
            }
            evictBeyondBound();
        }
    }

    /**
     * The verified local file of {@code artifact}, downloading it first when needed, kept on disk
     * until the lease is closed.
     *
     * @throws ArtifactException when the artifact is missing on the coordinator, corrupt, or cannot be stored
     * @throws io.drover.protocol.NoLeaderException when no coordinator answers (worth retrying later)
     */
    public Lease acquire(ArtifactRef artifact) throws ArtifactException, InterruptedException {
        ReentrantLock lock = locks.computeIfAbsent(artifact.sha256(), k -> new ReentrantLock());
        lock.lockInterruptibly();
        Lease lease;
        try {
            Loaded loaded = load(artifact);
            Path path = loaded.path();
            long size = loaded.size() >= 0 ? loaded.size() : sizeOf(path);
            synchronized (this) {
                Entry e = entries.computeIfAbsent(artifact.sha256(), k -> new Entry());
                e.size = size;
                e.lastUse = ++useCounter;
                e.leases++;
            }
            lease = new Lease(artifact.sha256(), path);
        } finally {
            lock.unlock();
        }
        evictBeyondBound();
        return lease;
    }

    /** Fetches and verifies the artifact without keeping it leased (to fetch ahead of a task). */
    public Path get(ArtifactRef artifact) throws ArtifactException, InterruptedException {
        try (Lease lease = acquire(artifact)) {
            return lease.path();
        }
    }

    /** Whether the artifact is on disk under its final name (for tests and diagnostics). */
    public boolean isCached(String sha256) {
        return Files.exists(fileOf(sha256));
    }

    /** The hashes of the jars on disk, least recently used first, at most the {@code max} newest. */
    public synchronized List<String> recentHashes(int max) {
        List<Map.Entry<String, Entry>> all = new ArrayList<>(entries.entrySet());
        all.sort(Comparator.comparingLong(e -> e.getValue().lastUse));
        return all.subList(Math.max(0, all.size() - max), all.size()).stream().map(Map.Entry::getKey).toList();
    }

    /** Acquisitions served from disk, and those that had to download; for metrics. */
    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public Path directory() {
        return dir;
    }

    /** Bytes of jars on disk now. */
    public synchronized long cachedBytes() {
        return entries.values().stream().mapToLong(e -> e.size).sum();
    }

    /** Jars deleted to keep the cache within its bound since this cache was made. */
    public synchronized long evictions() {
        return evictions;
    }

    /** The jar and its size when a stat gave it (-1: read it), so a hit costs one stat. */
    private record Loaded(Path path, long size) {
    }

    private Loaded load(ArtifactRef artifact) throws ArtifactException, InterruptedException {
        Path target = fileOf(artifact.sha256());
        try {
            // One stat for a hit (per task start of worker and in-agent tasks): the stamp says the file is there,
            // its size, and whether it is the one verified last. The directory is made only before a download.
            FileStamp stamp = FileStamp.ofIfExists(target);
            if (stamp != null) {
                if (stamp.equals(verifiedStamp(artifact.sha256()))) {
                    hits.increment();
                    return new Loaded(target, stamp.size());
                }
                if (Sha256.hexOfFile(target).equals(artifact.sha256())) {
                    hits.increment();
                    rememberVerified(artifact.sha256(), stamp);
                    return new Loaded(target, stamp.size());
                }
                log.warn("cached {} is damaged (hash differs); deleting it and fetching it again", artifact);
                Files.delete(target);
            }
            misses.increment();
            PrivateFiles.directories(dir);
            return new Loaded(download(artifact, target), -1);
        } catch (IOException e) {
            throw new ArtifactException("cannot store " + artifact + " under " + dir + ": " + e, e);
        }
    }

    /** Jars left by an earlier run count against the bound; their file times give the LRU order. */
    private void adoptFilesOnDisk() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        record Found(String sha256, long size, long modified) { }
        List<Found> found = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*" + suffix)) {
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                String sha = name.substring(0, name.length() - suffix.length());
                if (sha.matches("[0-9a-f]{64}")) {
                    found.add(new Found(sha, Files.size(jar), Files.getLastModifiedTime(jar).toMillis()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the artifact cache " + dir, e);
        }
        found.sort(Comparator.comparingLong(Found::modified));
        synchronized (this) {
            for (Found f : found) {
                Entry e = new Entry();
                e.size = f.size();
                e.lastUse = ++useCounter;
                entries.put(f.sha256(), e);
            }
        }
    }

    /** Deletes least recently used jars nobody leases until the cache fits its bound. */
    private void evictBeyondBound() {
        while (true) {
            String victim;
            long total;
            synchronized (this) {
                total = 0;
                for (Entry e : entries.values()) { // a loop, not a stream: this runs on every lease and release
                    total += e.size;
                }
                if (total <= maxBytes) {
                    return;
                }
                victim = entries.entrySet().stream().filter(en -> en.getValue().leases == 0)
                        .min(Comparator.comparingLong(en -> en.getValue().lastUse)).map(Map.Entry::getKey).orElse(null);
            }
            if (victim == null) {
                log.warn("artifact cache holds {} bytes, over its bound of {}, but every jar is in use; evicting later",
                        total, maxBytes);
                return;
            }
            if (!evict(victim)) {
                return; // someone is loading it right now; the next release or download evicts again
            }
        }
    }

    private boolean evict(String sha256) {
        ReentrantLock lock = locks.computeIfAbsent(sha256, k -> new ReentrantLock());
        if (!lock.tryLock()) {
            return false;
        }
        try {
            Entry e;
            synchronized (this) {
                e = entries.get(sha256);
                if (e == null || e.leases > 0) {
                    return e == null;
                }
                entries.remove(sha256);
                evictions++;
            }
            Files.deleteIfExists(fileOf(sha256));
            log.info("evicted artifact {} ({} bytes, least recently used) to keep the cache under {} bytes",
                    sha256.substring(0, 12), e.size, maxBytes);
            return true;
        } catch (IOException ex) {
            log.warn("cannot delete evicted artifact {}: {}", fileOf(sha256), ex.toString());
            return true;
        } finally {
            lock.unlock();
        }
    }

    private static long sizeOf(Path path) throws ArtifactException {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new ArtifactException("cannot read the size of " + path + ": " + e, e);
        }
    }

    private static final class Entry {
        long size;
        long lastUse;
        int leases;
        FileStamp verified; // the file as it was when its hash last matched; null: hash it on next load
    }

    /** What a stat says of a file: when it differs, the file was replaced or rewritten since. */
    private record FileStamp(long size, long modifiedNanos, Object fileKey) {
        static FileStamp of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.fileKey());
        }

        /** Null when there is no such file. */
        static FileStamp ofIfExists(Path file) throws IOException {
            try {
                return of(file);
            } catch (NoSuchFileException e) {
                return null;
            }
        }
    }

    private synchronized FileStamp verifiedStamp(String sha256) {
        Entry e = entries.get(sha256);
        return e == null ? null : e.verified;
    }

    private synchronized void rememberVerified(String sha256, FileStamp stamp) {
        entries.computeIfAbsent(sha256, k -> new Entry()).verified = stamp;
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
            rememberVerified(artifact.sha256(), FileStamp.of(target)); // its hash was checked just now
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
        return dir.resolve(sha256 + suffix);
    }
}
