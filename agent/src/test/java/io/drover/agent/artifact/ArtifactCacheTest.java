package io.drover.agent.artifact;

import io.drover.protocol.Sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.agent.task.RequestRejectedException;
import io.drover.agent.task.ArtifactRef;
import io.drover.protocol.NoLeaderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactCacheTest {
    private static final int CHUNK = 1000;
    private static final byte[] BYTES = randomBytes(3500);
    private static final ArtifactRef REF = new ArtifactRef(Sha256.hex(BYTES), BYTES.length);

    @TempDir
    Path dir;
    private final AtomicInteger fetches = new AtomicInteger();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void fetchesInVerifiedChunksAndStoresUnderTheHash() throws Exception {
        Path file = cache(serving(BYTES)).get(REF);

        assertThat(file).isEqualTo(dir.resolve(REF.sha256() + ".jar"));
        assertThat(Files.readAllBytes(file)).isEqualTo(BYTES);
        assertThat(fetches).hasValue(4);
    }

    @Test
    void fetchesOnceThenServesFromDiskAcrossRestarts() throws Exception {
        ArtifactCache cache = cache(serving(BYTES));
        cache.get(REF);
        cache.get(REF);
        cache(serving(BYTES)).get(REF);

        assertThat(fetches).hasValue(4);
    }

    @Test
    void damagedFileOnDiskIsFetchedAgain() throws Exception {
        Files.write(dir.resolve(REF.sha256() + ".jar"), new byte[] {1, 2, 3});

        Path file = cache(serving(BYTES)).get(REF);

        assertThat(Files.readAllBytes(file)).isEqualTo(BYTES);
        assertThat(fetches).hasValue(4);
    }

    @Test
    void fileRewrittenAfterItWasVerifiedIsHashedAgainAndFetchedAgain() throws Exception {
        ArtifactCache cache = cache(serving(BYTES));
        Path file = cache.get(REF);
        cache.get(REF); // the same file as verified: served without a fetch (and without hashing it again)
        assertThat(fetches).hasValue(4);
        byte[] damaged = BYTES.clone();
        damaged[7] ^= 1;
        Files.write(file, damaged); // same size, new modification time

        assertThat(Files.readAllBytes(cache.get(REF))).isEqualTo(BYTES);
        assertThat(fetches).hasValue(8);
    }

    @Test
    void chunkNotMatchingItsChecksumIsAnErrorAndKeepsOnlyTheVerifiedPart() throws Exception {
        ArtifactSource flipsABitInTheSecondChunk = corrupting(serving(BYTES), piece -> piece.offset() != CHUNK ? piece
                : new ArtifactPiece(piece.sha256(), piece.offset(), flipFirstBit(piece.data()), piece.chunkSha256(), piece.totalSize()));

        assertThatThrownBy(() -> cache(flipsABitInTheSecondChunk).get(REF))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining(REF.sha256()).hasMessageContaining("offset 1000").hasMessageContaining("corrupt");
        assertThat(REF.sha256() + ".jar").isNotIn(fileNames());
        assertThat(Files.size(part())).isEqualTo(CHUNK);
    }

    @Test
    void brokenDownloadContinuesFromTheLastVerifiedChunkAfterARestart() throws Exception {
        AtomicBoolean dropped = new AtomicBoolean();
        ArtifactSource linkDropsAtTheThirdChunkOnce = (sha, offset, max) -> {
            if (offset == 2 * CHUNK && dropped.compareAndSet(false, true)) {
                throw new NoLeaderException("link down", null);
            }
            return serving(BYTES).fetch(sha, offset, max);
        };
        assertThatThrownBy(() -> cache(linkDropsAtTheThirdChunkOnce).get(REF)).isInstanceOf(NoLeaderException.class);
        assertThat(fetches).hasValue(2);

        Path file = cache(linkDropsAtTheThirdChunkOnce).get(REF); // a new cache: as after an agent restart

        assertThat(Files.readAllBytes(file)).isEqualTo(BYTES);
        assertThat(fetches).as("chunks fetched in all: none twice").hasValue(4);
        assertThat(fileNames()).containsExactly(REF.sha256() + ".jar");
    }

    @Test
    void bytesPastTheRecordedLengthAreNotTrusted() throws Exception {
        Files.write(part(), Arrays.copyOf(BYTES, 2500)); // the third chunk was being written when it stopped
        Files.writeString(partLength(), "2000");

        Path file = cache(serving(BYTES)).get(REF);

        assertThat(Files.readAllBytes(file)).isEqualTo(BYTES);
        assertThat(fetches).as("from byte 2000: two chunks").hasValue(2);
    }

    @Test
    void damagedKeptPartIsCaughtByTheWholeHashAndFetchedAgainFromTheStart() throws Exception {
        byte[] damaged = Arrays.copyOf(BYTES, 2000);
        damaged[10] ^= 1;
        Files.write(part(), damaged);
        Files.writeString(partLength(), "2000");

        Path file = cache(serving(BYTES)).get(REF);

        assertThat(Files.readAllBytes(file)).isEqualTo(BYTES);
        assertThat(fetches).as("2 chunks resumed, then all 4 again").hasValue(6);
        assertThat(fileNames()).containsExactly(REF.sha256() + ".jar");
    }

    @Test
    void unreadableRecordedLengthStartsFromZero() throws Exception {
        Files.write(part(), Arrays.copyOf(BYTES, 2000));
        Files.writeString(partLength(), "lots");

        cache(serving(BYTES)).get(REF);

        assertThat(fetches).hasValue(4);
    }

    @Test
    void wholeFileNotMatchingItsHashIsAnErrorAndLeavesNothing() throws IOException {
        byte[] other = BYTES.clone();
        other[0] ^= 1;

        assertThatThrownBy(() -> cache(serving(other)).get(REF))
                .isInstanceOf(ArtifactException.class).hasMessageContaining("artifact " + REF.sha256() + " is corrupt");
        assertThat(listDir()).isEmpty();
    }

    @Test
    void refusedFetchNamesTheArtifact() {
        ArtifactSource refusing = (sha, offset, max) -> {
            throw new RequestRejectedException("no artifact " + sha, null);
        };

        assertThatThrownBy(() -> cache(refusing).get(REF)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("refused").hasMessageContaining(REF.sha256());
    }

    @Test
    void concurrentRequestsShareOneDownload() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ArtifactSource gated = (sha, offset, max) -> {
            awaitQuietly(release);
            return serving(BYTES).fetch(sha, offset, max);
        };
        ArtifactCache cache = cache(gated);
        List<Thread> workers = new ArrayList<>();
        List<Future<Path>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(threads.submit(() -> {
                synchronized (workers) {
                    workers.add(Thread.currentThread());
                }
                return cache.get(REF);
            }));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> allWaiting(workers));
        release.countDown();

        for (Future<Path> result : results) {
            assertThat(Files.readAllBytes(result.get())).isEqualTo(BYTES);
        }
        assertThat(fetches).hasValue(4);
    }

    @Test
    void artifactHashMustBeHexSoItCannotEscapeTheCacheDir() {
        assertThatThrownBy(() -> new ArtifactRef("../../etc/passwd", 1)).hasMessageContaining("sha256");
    }

    private ArtifactCache cache(ArtifactSource source) {
        return new ArtifactCache(dir, source, CHUNK, Long.MAX_VALUE);
    }

    private ArtifactSource serving(byte[] bytes) {
        return (sha, offset, max) -> {
            fetches.incrementAndGet();
            byte[] data = Arrays.copyOfRange(bytes, (int) offset, (int) Math.min(bytes.length, offset + max));
            return new ArtifactPiece(sha, offset, data, Sha256.hex(data), bytes.length);
        };
    }

    private static ArtifactSource corrupting(ArtifactSource source, UnaryOperator<ArtifactPiece> change) {
        return (sha, offset, max) -> change.apply(source.fetch(sha, offset, max));
    }

    private static boolean allWaiting(List<Thread> workers) {
        synchronized (workers) {
            return workers.size() == 4 && workers.stream().allMatch(t -> t.getState() == Thread.State.WAITING);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Path part() {
        return dir.resolve(REF.sha256() + ".part");
    }

    private Path partLength() {
        return dir.resolve(REF.sha256() + ".part.len");
    }

    private List<String> fileNames() throws IOException {
        return listDir().stream().map(p -> p.getFileName().toString()).toList();
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static byte[] flipFirstBit(byte[] data) {
        byte[] copy = data.clone();
        copy[0] ^= 1;
        return copy;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
