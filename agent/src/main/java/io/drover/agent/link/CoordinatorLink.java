package io.drover.agent.link;

import io.drover.agent.artifact.ArtifactPiece;
import io.drover.agent.artifact.ArtifactSource;
import io.drover.agent.task.JobDescription;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The agent's port to the leading coordinator, in the agent's own terms. One link serializes its
 * calls, so the agent opens one per concern (long poll, reports, downloads) to keep a parked
 * poll or a large download from delaying results.
 *
 * <p>Every method throws {@link io.drover.protocol.NoLeaderException} when no leader
 * answers within the link's retry deadline (or the link was closed), and
 * {@link RequestRejectedException} when the coordinator refuses the request.
 */
public interface CoordinatorLink extends ArtifactSource, io.drover.agent.blob.BlobLink, AutoCloseable {
    void register(AgentIdentity identity);

    /**
     * One heartbeat. {@code call} is asked again for every try: the link retries across a
     * failover for its whole deadline, and what reaches a new leader must say what the agent runs
     * and holds now, not when the first try left (work assigned meanwhile would go unnamed, and a
     * new leader would run it again).
     */
    HeartbeatAnswer heartbeat(String agentId, Supplier<HeartbeatCall> call);

    JobDescription describeJob(String jobId);

    /** The ends and results of the jobs {@code jobId} depends on (empty: none, or a coordinator older than dependencies). */
    default java.util.List<io.drover.agent.task.UpstreamResult> dependencyResults(String jobId) {
        return java.util.List.of();
    }

    @Override
    ArtifactPiece fetch(String sha256, long offset, int maxBytes);

    /** Result blobs (issue 17); links that cannot carry them refuse, and results stay inline-sized. */
    @Override
    default io.drover.agent.blob.UploadStatus beginResultBlob(String sha256, long size) {
        throw new io.drover.agent.task.RequestRejectedException("this link carries no result blobs", null);
    }

    @Override
    default io.drover.agent.blob.UploadStatus uploadResultChunk(String sha256, long offset, byte[] data, String chunkSha256,
                                                                long totalSize) {
        throw new io.drover.agent.task.RequestRejectedException("this link carries no result blobs", null);
    }

    @Override
    default ArtifactPiece fetchResultBlob(String sha256, long offset, int maxBytes) {
        throw new io.drover.agent.task.RequestRejectedException("this link carries no result blobs", null);
    }

    /** Answers a {@link io.drover.agent.logs.LogRequest} the coordinator sent in a heartbeat reply. */
    void deliverLog(String agentId, io.drover.agent.logs.LogPiece piece);

    /** "host:port" of the coordinator last talked to, for log lines. */
    Optional<String> currentEndpoint();

    /** Closes the connection; a call parked in a long poll returns promptly with an error. */
    @Override
    void close();
}
