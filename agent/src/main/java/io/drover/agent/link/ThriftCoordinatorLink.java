package io.drover.agent.link;

import io.drover.agent.task.RequestRejectedException;

import io.drover.agent.artifact.ArtifactPiece;
import io.drover.agent.logs.LogPiece;
import io.drover.agent.task.JobDescription;
import io.drover.protocol.RequestRefusedException;
import io.drover.protocol.CallDeadlines;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.Endpoint;
import io.drover.protocol.thrift.AgentService;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link CoordinatorLink} over a leader-following connection to the coordinator's agent service.
 * Translates the protocol's "the coordinator refused" error into {@link RequestRejectedException}.
 */
public final class ThriftCoordinatorLink implements CoordinatorLink {
    private final CoordinatorConnection<AgentService.Client> connection;
    private final CallDeadlines deadlines;
    private final String instanceId;

    public ThriftCoordinatorLink(CoordinatorConnection<AgentService.Client> connection) {
        this(connection, null);
    }

    /** {@code instanceId}: the work dir's instance token, sent with every heartbeat (null: none). */
    public ThriftCoordinatorLink(CoordinatorConnection<AgentService.Client> connection, String instanceId) {
        this.connection = connection;
        this.deadlines = connection.deadlines();
        this.instanceId = instanceId;
    }

    @Override
    public void register(AgentIdentity identity) {
        call(c -> {
            c.registerAgent(ThriftMapping.registration(identity));
            return null;
        });
    }

    @Override
    public HeartbeatAnswer heartbeat(String agentId, Supplier<HeartbeatCall> heartbeat) {
        // A parked poll answers after its wait; anything else (a report) answers at once. Every try
        // rebuilds the call, so a poll retried across a failover names what runs and is held now.
        Duration wait = heartbeat.get().maxWait();
        Duration deadline = wait.isZero() ? deadlines.call() : deadlines.parked(wait);
        return ThriftMapping.answer(call(deadline, c -> c.heartbeat(ThriftMapping.request(agentId, heartbeat.get(), instanceId))));
    }

    @Override
    public JobDescription describeJob(String jobId) {
        return ThriftMapping.job(call(c -> c.describeJob(jobId)));
    }

    /**
     * A coordinator older than dependencies lacks the call (its jobs have none) and refuses it as it
     * refuses any unknown call; the job's tasks then run without upstream results, which is logged.
     */
    @Override
    public java.util.List<io.drover.agent.task.UpstreamResult> dependencyResults(String jobId) {
        io.drover.protocol.thrift.DependencyResults r;
        try {
            r = call(c -> c.dependencyResults(jobId));
        } catch (RequestRejectedException e) {
            org.slf4j.LoggerFactory.getLogger(ThriftCoordinatorLink.class).warn(
                    "coordinator gave no upstream results for job {} ({}); its tasks run without them", jobId, e.getMessage());
            return java.util.List.of();
        }
        java.util.List<io.drover.agent.task.UpstreamResult> out = new java.util.ArrayList<>();
        for (io.drover.protocol.thrift.DependencyResult d : r.getUpstream()) {
            Optional<io.drover.agent.task.ResultBlob> blob;
            try {
                blob = d.isSetResultBlob() && !d.isSetResult()
                        ? Optional.of(new io.drover.agent.task.ResultBlob(d.getResultBlob().getSha256(), d.getResultBlob().getSize()))
                        : Optional.empty();
            } catch (IllegalArgumentException e) {
                throw new RequestRejectedException("the coordinator named upstream job " + d.getJobId()
                        + "'s result blob wrongly: " + e.getMessage(), e);
            }
            out.add(new io.drover.agent.task.UpstreamResult(d.getJobId(), Optional.ofNullable(d.getName()),
                    Optional.ofNullable(d.getState()), d.isSetResult() ? Optional.of(d.getResult()) : Optional.empty(), blob));
        }
        return out;
    }

    @Override
    public ArtifactPiece fetch(String sha256, long offset, int maxBytes) {
        return ThriftMapping.piece(call(deadlines.payload(maxBytes), c -> c.fetchArtifact(sha256, offset, maxBytes)));
    }

    @Override
    public io.drover.agent.blob.UploadStatus beginResultBlob(String sha256, long size) {
        return ThriftMapping.status(call(c -> c.beginResultBlob(sha256, size)));
    }

    @Override
    public io.drover.agent.blob.UploadStatus uploadResultChunk(String sha256, long offset, byte[] data, String chunkSha256,
                                                               long totalSize) {
        io.drover.protocol.thrift.BlobChunk chunk = new io.drover.protocol.thrift.BlobChunk(sha256, offset,
                java.nio.ByteBuffer.wrap(data), chunkSha256, totalSize);
        return ThriftMapping.status(call(deadlines.payload(data.length), c -> c.uploadResultChunk(chunk)));
    }

    @Override
    public ArtifactPiece fetchResultBlob(String sha256, long offset, int maxBytes) {
        return ThriftMapping.blobPiece(call(deadlines.payload(maxBytes), c -> c.fetchResultBlob(sha256, offset, maxBytes)));
    }

    @Override
    public void deliverLog(String agentId, LogPiece piece) {
        call(deadlines.payload(piece.data().length), c -> {
            c.deliverLog(agentId, ThriftMapping.chunk(piece));
            return null;
        });
    }

    @Override
    public Optional<String> currentEndpoint() {
        return Optional.ofNullable(connection.currentEndpoint()).map(Endpoint::toString);
    }

    @Override
    public void close() {
        connection.close();
    }

    private <T> T call(CoordinatorConnection.Call<AgentService.Client, T> call) {
        return call(deadlines.call(), call);
    }

    private <T> T call(Duration deadline, CoordinatorConnection.Call<AgentService.Client, T> call) {
        try {
            return connection.call(deadline, call);
        } catch (RequestRefusedException e) {
            throw new RequestRejectedException(e.getMessage(), e);
        }
    }
}
