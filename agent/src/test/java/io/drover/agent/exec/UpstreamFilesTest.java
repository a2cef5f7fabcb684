package io.drover.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.artifact.ArtifactPiece;
import io.drover.agent.blob.BlobLink;
import io.drover.agent.blob.UploadStatus;
import io.drover.agent.task.ResultBlob;
import io.drover.agent.task.UpstreamResult;
import io.drover.protocol.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DROVER_UPSTREAM_RESULTS directory: files by id and unique name, the index, blobs fetched, checked
 * and cached for the next attempt.
 */
class UpstreamFilesTest {
    @TempDir
    Path taskDir;

    private final java.util.concurrent.atomic.AtomicInteger fetches = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();

    /** Serves one blob in 1000-byte chunks; {@code corrupt}: every chunk's bytes differ from its checksum's. */
    private BlobLink serving(byte[] blob, boolean corrupt) {
        return new BlobLink() {
            @Override
            public UploadStatus beginResultBlob(String sha256, long size) {
                throw new UnsupportedOperationException();
            }

            @Override
            public UploadStatus uploadResultChunk(String sha256, long offset, byte[] data, String chunkSha256, long totalSize) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ArtifactPiece fetchResultBlob(String sha256, long offset, int maxBytes) {
                fetches.incrementAndGet();
                if (refusals.getAndDecrement() > 0) {
                    throw new io.drover.agent.task.RequestRejectedException("agent a1 holds no task of a job that reads it", null);
                }
                byte[] data = Arrays.copyOfRange(blob, (int) offset, (int) Math.min(blob.length, offset + 1000));
                String chunkSha = Sha256.hex(data);
                if (corrupt) {
                    data[0] ^= 1;
                }
                return new ArtifactPiece(sha256, offset, data, chunkSha, blob.length);
            }
        };
    }

    private static UpstreamResult inline(String id, String name, String text) {
        return new UpstreamResult(id, Optional.ofNullable(name), Optional.of("SUCCEEDED"),
                Optional.of(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void filesByIdAndUniqueNameWithAnIndexAndABlobFetchedIntoItsFile() throws Exception {
        byte[] blob = new byte[4500];
        new java.util.Random(3).nextBytes(blob);
        UpstreamResult big = new UpstreamResult("j2", Optional.of("big"), Optional.of("SUCCEEDED"), Optional.empty(),
                Optional.of(new ResultBlob(Sha256.hex(blob), blob.length)));
        List<UpstreamResult> upstream = List.of(inline("j1", "count", "21"), big, inline("j3", "twin", "a"),
                inline("j4", "twin", "b"), inline("j5", "index", "x"), new UpstreamResult("j6", Optional.of("../up"),
                        Optional.empty(), Optional.empty()));

        ResultFiles results = new ResultFiles(serving(blob, false), 65536, 1 << 20, taskDir.resolve("cache"));
        Path dir = UpstreamFiles.write(taskDir, 7, upstream, results);

        assertThat(dir).isEqualTo(taskDir.resolve("upstream-results-7").toAbsolutePath());
        assertThat(Files.readString(dir.resolve("count"))).isEqualTo("21");
        assertThat(Files.readAllBytes(dir.resolve("j2"))).isEqualTo(blob);
        assertThat(Files.isSameFile(dir.resolve("big"), dir.resolve("j2"))).as("a name is a link, not a second copy").isTrue();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("j2"))))
                .as("the cache's copy, read-only").isEqualTo("r--------");
        assertThat(fetches.get()).isEqualTo(5);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).as("no file for a shared, reserved or"
                    + " unsafe name").containsExactly("big", "count", "index", "j1", "j2", "j3", "j4", "j5", "j6");
        }
        assertThat(Files.readString(dir.resolve("index"))).isEqualTo(
                "j1\tcount\tSUCCEEDED\nj2\tbig\tSUCCEEDED\nj3\ttwin\tSUCCEEDED\nj4\ttwin\tSUCCEEDED\nj5\tindex\tSUCCEEDED\n"
                        + "j6\t../up\tUNKNOWN\n");

        UpstreamFiles.remove(dir);
        assertThat(dir).doesNotExist();
        Path again = UpstreamFiles.write(taskDir, 8, upstream, results);
        assertThat(Files.readAllBytes(again.resolve("big"))).isEqualTo(blob);
        assertThat(fetches.get()).as("the next attempt reads the cached blob").isEqualTo(5);
    }

    /** A leader that just took over refuses until the agent's heartbeat names its attempts: the fetch tries again. */
    @Test
    void aRefusedFetchIsTriedAgainAfterAPause() throws Exception {
        byte[] blob = new byte[1500];
        UpstreamResult big = new UpstreamResult("j2", Optional.of("big"), Optional.of("SUCCEEDED"), Optional.empty(),
                Optional.of(new ResultBlob(Sha256.hex(blob), blob.length)));
        refusals.set(2);
        Path dir = UpstreamFiles.write(taskDir, 11, List.of(big),
                new ResultFiles(serving(blob, false), 65536, 1 << 20, taskDir.resolve("cache")));
        assertThat(Files.readAllBytes(dir.resolve("big"))).isEqualTo(blob);
        assertThat(fetches.get()).as("two refused, then two chunks").isEqualTo(4);
    }

    @Test
    void aBlobThatDoesNotMatchItsChecksumsOrIsOverTheCapIsRefused() {
        byte[] blob = new byte[2500];
        UpstreamResult big = new UpstreamResult("j2", Optional.of("big"), Optional.of("SUCCEEDED"), Optional.empty(),
                Optional.of(new ResultBlob(Sha256.hex(blob), blob.length)));

        assertThatThrownBy(() -> UpstreamFiles.write(taskDir, 8, List.of(big),
                new ResultFiles(serving(blob, true), 65536, 1 << 20, taskDir.resolve("cache"))))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot fetch the result of upstream job j2")
                .hasMessageContaining("chunk at offset 0 is corrupt");
        assertThatThrownBy(() -> UpstreamFiles.write(taskDir, 9, List.of(big),
                new ResultFiles(serving(blob, false), 1024, 2000, taskDir.resolve("cache"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("the result of upstream job j2 is 2500 bytes, over this agent's result cap of 2000 bytes");
        assertThatThrownBy(() -> UpstreamFiles.write(taskDir, 10, List.of(big), ResultFiles.inlineOnly()))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot fetch result blobs");
    }
}
