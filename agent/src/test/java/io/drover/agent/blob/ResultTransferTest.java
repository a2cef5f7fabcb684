package io.drover.agent.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.artifact.ArtifactPiece;
import io.drover.agent.task.RequestRejectedException;
import io.drover.agent.task.ResultBlob;
import io.drover.protocol.NoLeaderException;
import io.drover.protocol.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunking, checksums and resume of result blobs between an agent and a coordinator that loses calls. */
class ResultTransferTest {
    private static final int CHUNK = ResultUpload.CHUNK;

    @TempDir
    Path dir;

    /** A coordinator's blob store in memory, whose calls can be made to fail before or after they take effect. */
    private static final class FlakyStore implements BlobLink {
        byte[] stored = new byte[0];
        long size = -1;
        boolean complete;
        int uploads;
        int failBefore; // the next N uploads fail without storing (refused, or lost on the way)
        int failAfter;  // the next N uploads store the chunk but the answer is lost
        int corruptFetches;

        @Override
        public UploadStatus beginResultBlob(String sha256, long size) {
            if (this.size < 0) {
                this.size = size;
            }
            return new UploadStatus(this.size, stored.length, complete);
        }

        @Override
        public UploadStatus uploadResultChunk(String sha256, long offset, byte[] data, String chunkSha256, long totalSize) {
            uploads++;
            if (failBefore > 0) {
                failBefore--;
                throw new NoLeaderException("lost on the way", null);
            }
            assertThat(Sha256.hex(data)).isEqualTo(chunkSha256);
            if (offset != stored.length) {
                throw new RequestRejectedException("chunk offset " + offset + " but " + stored.length + " received", null);
            }
            assertThat(data.length == CHUNK || offset + data.length == size).as("chunk size").isTrue();
            stored = concat(stored, data);
            complete = stored.length == size && Sha256.hex(stored).equals(sha256);
            if (failAfter > 0) {
                failAfter--;
                throw new NoLeaderException("answer lost", null);
            }
            return new UploadStatus(size, stored.length, complete);
        }

        @Override
        public ArtifactPiece fetchResultBlob(String sha256, long offset, int maxBytes) {
            int from = (int) offset;
            byte[] piece = Arrays.copyOfRange(stored, from, Math.min(stored.length, from + maxBytes));
            String sum = Sha256.hex(piece);
            if (corruptFetches > 0) {
                corruptFetches--;
                piece = piece.clone();
                piece[0] ^= 1;
            }
            return new ArtifactPiece(sha256, offset, piece, sum, stored.length);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private ResultBlob file(byte[] bytes, Path file) throws IOException {
        Files.write(file, bytes);
        return new ResultBlob(Sha256.hex(bytes), bytes.length);
    }

    @Test
    void aResultGoesUpInWholeChunksAndComesBackVerified() throws Exception {
        byte[] bytes = random(3 * CHUNK + 1234);
        FlakyStore store = new FlakyStore();
        ResultBlob blob = file(bytes, dir.resolve("r"));

        new ResultUpload(store, 3).send(dir.resolve("r"), blob);

        assertThat(store.uploads).isEqualTo(4);
        assertThat(store.complete).isTrue();
        assertThat(store.stored).isEqualTo(bytes);
        Path back = new ResultDownload(store, 3).fetch(blob, dir.resolve("back"));
        assertThat(Files.readAllBytes(back)).isEqualTo(bytes);
    }

    @Test
    void lostChunksAndLostAnswersResumeWhereTheCoordinatorStands() throws Exception {
        byte[] bytes = random(2 * CHUNK + 10);
        FlakyStore store = new FlakyStore();
        ResultBlob blob = file(bytes, dir.resolve("r"));
        store.failAfter = 1;  // chunk 0 lands, its answer is lost: the resume must not send it again
        store.failBefore = 0;

        new ResultUpload(store, 3).send(dir.resolve("r"), blob);

        assertThat(store.stored).isEqualTo(bytes);
        assertThat(store.uploads).as("chunk 0 was not sent twice").isEqualTo(3);

        FlakyStore again = new FlakyStore();
        again.failBefore = 2; // two failures in a row at the same chunk, then it goes on
        new ResultUpload(again, 3).send(dir.resolve("r"), blob);
        assertThat(again.stored).isEqualTo(bytes);
    }

    @Test
    void anUploadGivesUpAfterTooManySetbacksInARow() throws Exception {
        FlakyStore store = new FlakyStore();
        ResultBlob blob = file(random(CHUNK + 1), dir.resolve("r"));
        store.failBefore = 100;

        assertThatThrownBy(() -> new ResultUpload(store, 2).send(dir.resolve("r"), blob))
                .isInstanceOf(IOException.class).hasMessageContaining("failed 3 times in a row at byte 0");
    }

    @Test
    void aFileThatIsNotTheSizeReportedIsNotSent() throws Exception {
        FlakyStore store = new FlakyStore();
        Files.write(dir.resolve("r"), random(10));

        assertThatThrownBy(() -> new ResultUpload(store, 2).send(dir.resolve("r"), new ResultBlob("a".repeat(64), 11)))
                .isInstanceOf(IOException.class).hasMessageContaining("has 10 bytes, not 11");
        assertThat(store.uploads).isZero();
    }

    @Test
    void aCorruptChunkIsFetchedAgainAndAWrongBlobIsRefused() throws Exception {
        byte[] bytes = random(CHUNK + 5);
        FlakyStore store = new FlakyStore();
        store.stored = bytes;
        store.corruptFetches = 1;
        ResultBlob blob = new ResultBlob(Sha256.hex(bytes), bytes.length);

        assertThat(Files.readAllBytes(new ResultDownload(store, 2).fetch(blob, dir.resolve("in")))).isEqualTo(bytes);

        ResultBlob claimed = new ResultBlob("0".repeat(64), bytes.length); // the store holds other bytes under it
        assertThatThrownBy(() -> new ResultDownload(store, 2).fetch(claimed, dir.resolve("bad")))
                .isInstanceOf(IOException.class).hasMessageContaining("arrived with hash " + Sha256.hex(bytes));
        assertThat(dir.resolve("bad")).doesNotExist();
    }
}
