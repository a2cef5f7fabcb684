package io.drover.coordinator.rpc;

import io.drover.coordinator.store.ArtifactStore;
import io.drover.protocol.Sha256;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.ArtifactStatus;
import io.drover.protocol.thrift.StoreStats;
import java.nio.ByteBuffer;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * Job artifacts: clients upload them in checksummed, resumable chunks; agents fetch them the same
 * way. The store blocks on ZooKeeper, so every call runs on the gateway's I/O pool.
 */
final class ArtifactCalls {
    private final CoreGateway core;
    private final long maxArtifactBytes;

    ArtifactCalls(CoreGateway core, long maxArtifactBytes) {
        this.core = core;
        this.maxArtifactBytes = maxArtifactBytes;
    }

    void beginUpload(String sha256, long size, AsyncMethodCallback<ArtifactStatus> done) {
        core.onIo(done, term -> {
            if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("artifact sha256 must be 64 lowercase hex characters");
            }
            if (size <= 0 || size > maxArtifactBytes) {
                throw new IllegalArgumentException("artifact size " + size + " outside 1.." + maxArtifactBytes + " bytes");
            }
            return status(term.artifacts().begin(term.epoch(), sha256, size));
        });
    }

    void uploadChunk(ArtifactChunk chunk, AsyncMethodCallback<ArtifactStatus> done) {
        core.onIo(done, term -> {
            if (chunk == null || chunk.getData() == null) {
                throw new IllegalArgumentException("chunk without data");
            }
            byte[] data = chunk.getData();
            if (!Sha256.hex(data).equals(chunk.getChunkSha256())) {
                throw new IllegalArgumentException("chunk at offset " + chunk.getOffset() + " of " + chunk.getSha256()
                        + " does not match its checksum; resend it");
            }
            return status(term.artifacts().append(term.epoch(), chunk.getSha256(), chunk.getOffset(), data));
        });
    }

    void fetch(String sha256, long offset, int maxBytes, AsyncMethodCallback<ArtifactChunk> done) {
        core.onIo(done, term -> {
            ArtifactStore.Status st = term.artifacts().status(sha256).filter(ArtifactStore.Status::complete)
                    .orElseThrow(() -> new IllegalArgumentException("unknown artifact " + sha256));
            int limit = Math.max(1, Math.min(maxBytes, WireLimits.ARTIFACT_CHUNK_BYTES));
            byte[] data = term.artifacts().read(sha256, offset, limit);
            return new ArtifactChunk(sha256, offset, ByteBuffer.wrap(data), Sha256.hex(data), st.size());
        });
    }

    /** The figures of the leader's latest sweep (measured now if it has not swept yet). */
    void storeStats(AsyncMethodCallback<StoreStats> done) {
        core.onIo(done, term -> {
            var s = term.sweeper().sizes();
            return new StoreStats(s.factLogZnodes(), s.factLogBytes(), s.completeArtifacts(), s.completeBytes(),
                    s.uploadsInProgress(), s.uploadBytes(), s.measuredAtMs());
        });
    }

    private static ArtifactStatus status(ArtifactStore.Status s) {
        return new ArtifactStatus(s.sha256(), s.size(), s.complete(), s.bytesReceived());
    }
}
