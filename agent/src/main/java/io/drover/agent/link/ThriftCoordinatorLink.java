package io.drover.agent.link;

import io.drover.agent.task.RequestRejectedException;

import io.drover.agent.artifact.ArtifactPiece;
import io.drover.agent.logs.LogPiece;
import io.drover.agent.task.JobDescription;
import io.drover.protocol.RequestRefusedException;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.Endpoint;
import io.drover.protocol.thrift.AgentService;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link CoordinatorLink} over a leader-following connection to the coordinator's agent service.
 * Translates the protocol's "the coordinator refused" error into {@link RequestRejectedException}.
 */
public final class ThriftCoordinatorLink implements CoordinatorLink {
    private final CoordinatorConnection<AgentService.Client> connection;

    public ThriftCoordinatorLink(CoordinatorConnection<AgentService.Client> connection) {
        this.connection = connection;
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
        return ThriftMapping.answer(call(c -> c.heartbeat(ThriftMapping.request(agentId, heartbeat.get()))));
    }

    @Override
    public JobDescription describeJob(String jobId) {
        return ThriftMapping.job(call(c -> c.describeJob(jobId)));
    }

    @Override
    public ArtifactPiece fetch(String sha256, long offset, int maxBytes) {
        return ThriftMapping.piece(call(c -> c.fetchArtifact(sha256, offset, maxBytes)));
    }

    @Override
    public void deliverLog(String agentId, LogPiece piece) {
        call(c -> {
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
        try {
            return connection.call(call);
        } catch (RequestRefusedException e) {
            throw new RequestRejectedException(e.getMessage(), e);
        }
    }
}
