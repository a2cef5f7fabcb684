package io.drover.coordinator.rpc;

import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.core.ResultBlob;
import io.drover.coordinator.store.ArtifactStore;
import io.drover.protocol.Sha256;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.BlobChunk;
import io.drover.protocol.thrift.ResultBlobStatus;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * Task results too large to travel inline (issue 17): agents upload them in checksummed, resumable
 * chunks into the term's result blob store (laid out and verified as artifacts are), reduce tasks and
 * clients read them back a chunk at a time, so the leader never holds a whole result. The store blocks
 * on ZooKeeper: every call runs on the gateway's I/O pool.
 */
final class ResultBlobCalls {
    private final CoreGateway core;

    ResultBlobCalls(CoreGateway core) {
        this.core = core;
    }

    void begin(String sha256, long size, AsyncMethodCallback<ResultBlobStatus> done) {
        core.onIo(done, term -> {
            checkSha(sha256);
            if (size <= 0 || size > WireLimits.MAX_RESULT_BLOB_BYTES) {
                throw new IllegalArgumentException("result of " + size + " bytes outside 1.."
                        + WireLimits.MAX_RESULT_BLOB_BYTES + " bytes");
            }
            return status(term.resultBlobs().begin(term.epoch(), sha256, size));
        });
    }

    void upload(BlobChunk chunk, AsyncMethodCallback<ResultBlobStatus> done) {
        core.onIo(done, term -> {
            if (chunk == null || chunk.getData() == null) {
                throw new IllegalArgumentException("result chunk without data");
            }
            checkSha(chunk.getSha256());
            byte[] data = chunk.getData();
            if (!Sha256.hex(data).equals(chunk.getChunkSha256())) {
                throw new IllegalArgumentException("chunk at offset " + chunk.getOffset() + " of result " + chunk.getSha256()
                        + " does not match its checksum; resend it");
            }
            return status(term.resultBlobs().append(term.epoch(), chunk.getSha256(), chunk.getOffset(), data));
        });
    }

    /** A chunk of a complete blob; who may ask is decided before this. */
    void fetch(String sha256, long offset, int maxBytes, AsyncMethodCallback<BlobChunk> done) {
        core.onIo(done, term -> read(term.resultBlobs(), sha256, offset, maxBytes));
    }

    /**
     * For clients: only a blob the job names as its result or one of its shard results. The job's own
     * result is checked first, so reading it never makes the core list every shard result per chunk.
     */
    void readForJob(String jobId, String sha256, long offset, int maxBytes, AsyncMethodCallback<BlobChunk> done) {
        core.askThen(done, CoreAsk.job(jobId, false, false)).thenAccept(job -> {
            if (names(job, sha256)) {
                fetch(sha256, offset, maxBytes, done);
                return;
            }
            core.askThen(done, CoreAsk.job(jobId, false, true)).thenAccept(withShards -> {
                if (names(withShards, sha256)) {
                    fetch(sha256, offset, maxBytes, done);
                } else {
                    done.onError(new io.drover.protocol.thrift.InvalidRequest("job " + jobId + " has no result blob " + sha256));
                }
            });
        });
    }

    private static boolean names(Response.JobSnapshot job, String sha256) {
        if (job.resultBlob() != null && job.resultBlob().sha256().equals(sha256)) {
            return true;
        }
        return job.shardResultBlobs().values().stream().anyMatch(b -> b.sha256().equals(sha256));
    }

    /**
     * Reports whose blob is not completely stored become FAILED (retried): an agent only reports a blob
     * after its last chunk was verified, so this guards against a buggy or hostile one. Reads one small
     * metadata znode per blob report.
     */
    CompletableFuture<List<Event.Report>> verified(AsyncMethodCallback<?> done, List<Event.Report> reports) {
        if (reports.stream().noneMatch(r -> r.blob() != null)) {
            return CompletableFuture.completedFuture(reports);
        }
        return core.onIoThen(done, term -> {
            List<Event.Report> out = new ArrayList<>(reports.size());
            for (Event.Report r : reports) {
                out.add(r.blob() == null || stored(term.resultBlobs(), r.blob()) ? r
                        : new Event.Report(r.attemptId(), r.jobId(), r.task(), Event.Outcome.FAILED, null,
                        "result blob " + r.blob().sha256() + " of " + r.blob().size() + " bytes is not stored", null));
            }
            return out;
        });
    }

    private static boolean stored(ArtifactStore store, ResultBlob blob) {
        return store.status(blob.sha256()).filter(s -> s.complete() && s.size() == blob.size()).isPresent();
    }

    private static BlobChunk read(ArtifactStore store, String sha256, long offset, int maxBytes) {
        checkSha(sha256);
        ArtifactStore.Status st = store.status(sha256).filter(ArtifactStore.Status::complete)
                .orElseThrow(() -> new IllegalArgumentException("unknown result blob " + sha256));
        int limit = Math.max(1, Math.min(maxBytes, WireLimits.ARTIFACT_CHUNK_BYTES));
        byte[] data = store.read(sha256, offset, limit);
        return new BlobChunk(sha256, offset, ByteBuffer.wrap(data), Sha256.hex(data), st.size());
    }

    private static void checkSha(String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("result blob sha256 must be 64 lowercase hex characters");
        }
    }

    private static ResultBlobStatus status(ArtifactStore.Status s) {
        return new ResultBlobStatus(s.sha256(), s.size(), s.complete(), s.bytesReceived());
    }
}
