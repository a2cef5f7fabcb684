package io.drover.agent.artifact;

import io.drover.protocol.Sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.task.ArtifactRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache's size bound (LRU over jars nobody leases) and its re-verification on every load. */
class ArtifactCacheBoundTest {
    private static final int SIZE = 3000;

    @TempDir
    Path dir;
    private final Map<String, byte[]> served = new HashMap<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final ArtifactRef a = artifact(1);
    private final ArtifactRef b = artifact(2);
    private final ArtifactRef c = artifact(3);

    @Test
    void leastRecentlyUsedJarGoesWhenTheBoundIsPassed() throws Exception {
        ArtifactCache cache = cache(2 * SIZE);
        cache.get(a);
        cache.get(b);
        cache.get(a); // a is now more recent than b

        cache.get(c);

        assertThat(cache.isCached(a.sha256())).isTrue();
        assertThat(cache.isCached(b.sha256())).as("least recently used").isFalse();
        assertThat(cache.isCached(c.sha256())).isTrue();
        assertThat(cache.cachedBytes()).isEqualTo(2L * SIZE);
        assertThat(cache.evictions()).isEqualTo(1);
    }

    @Test
    void leasedJarStaysUntilReleasedEvenOverTheBound() throws Exception {
        ArtifactCache cache = cache(SIZE);
        ArtifactCache.Lease first = cache.acquire(a);
        ArtifactCache.Lease second = cache.acquire(b);
        assertThat(Files.readAllBytes(first.path())).isEqualTo(served.get(a.sha256()));
        assertThat(cache.isCached(a.sha256())).isTrue();
        assertThat(cache.isCached(b.sha256())).isTrue();
        assertThat(cache.cachedBytes()).isEqualTo(2L * SIZE);

        first.close();

        assertThat(cache.isCached(a.sha256())).as("released, least recently used").isFalse();
        assertThat(cache.isCached(b.sha256())).as("still leased").isTrue();
        second.close();
        assertThat(cache.isCached(b.sha256())).as("within the bound on its own").isTrue();
    }

    @Test
    void evictedJarIsFetchedAgainWhenNeeded() throws Exception {
        ArtifactCache cache = cache(SIZE);
        cache.get(a);
        cache.get(b);
        assertThat(cache.isCached(a.sha256())).isFalse();

        Path again = cache.get(a);

        assertThat(Files.readAllBytes(again)).isEqualTo(served.get(a.sha256()));
        assertThat(fetches).as("a twice, b once, one chunk each").hasValue(3);
    }

    @Test
    void everyLoadReHashesTheJarAndReplacesADamagedOne() throws Exception {
        ArtifactCache cache = cache(10 * SIZE);
        Path file = cache.get(a);
        byte[] damaged = Files.readAllBytes(file);
        damaged[100] ^= 1; // bit rot after the fetch: same size, same name
        Files.write(file, damaged);

        try (ArtifactCache.Lease lease = cache.acquire(a)) {
            assertThat(Files.readAllBytes(lease.path())).isEqualTo(served.get(a.sha256()));
        }
        assertThat(fetches).as("fetched again after the damage was found").hasValue(2);
    }

    @Test
    void jarsLeftByAnEarlierRunCountAgainstTheBoundOldestFirst() throws Exception {
        Files.createDirectories(dir);
        ArtifactRef[] refs = {a, b, c};
        for (int i = 0; i < refs.length; i++) {
            Path jar = dir.resolve(refs[i].sha256() + ".jar");
            Files.write(jar, served.get(refs[i].sha256()));
            Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000L * (i + 1)));
        }

        ArtifactCache cache = cache(2 * SIZE);

        assertThat(cache.isCached(a.sha256())).as("oldest file").isFalse();
        assertThat(cache.isCached(b.sha256())).isTrue();
        assertThat(cache.isCached(c.sha256())).isTrue();
        cache.get(c);
        assertThat(fetches).as("found on disk and verified, not fetched").hasValue(0);
    }

    private ArtifactCache cache(long maxBytes) {
        return new ArtifactCache(dir, (sha, offset, max) -> {
            fetches.incrementAndGet();
            byte[] bytes = served.get(sha);
            byte[] data = Arrays.copyOfRange(bytes, (int) offset, (int) Math.min(bytes.length, offset + max));
            return new ArtifactPiece(sha, offset, data, Sha256.hex(data), bytes.length);
        }, SIZE, maxBytes);
    }

    private ArtifactRef artifact(int seed) {
        byte[] bytes = new byte[SIZE];
        new Random(seed).nextBytes(bytes);
        ArtifactRef ref = new ArtifactRef(Sha256.hex(bytes), bytes.length);
        served.put(ref.sha256(), bytes);
        return ref;
    }
}
