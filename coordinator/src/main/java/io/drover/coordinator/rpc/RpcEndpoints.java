package io.drover.coordinator.rpc;

import io.drover.coordinator.agentid.AgentTrust;
import io.drover.coordinator.leader.Leadership;
import io.drover.coordinator.secrets.SecretSealer;
import io.drover.coordinator.stream.TaskStreamRecorder;
import java.time.Clock;

import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ClientService;
import java.util.concurrent.ExecutorService;
import org.apache.thrift.server.TServerEventHandler;

/**
 * The coordinator's Thrift face, one endpoint per caller, wired to one {@link CoreGateway}:
 * {@link AgentEndpoint} for agents, {@link ClientEndpoint} for clients, each behind the one layer
 * that checks its requests' fields ({@link AgentRequests}, {@link ClientRequests}; clients' calls
 * then pass {@link ClientAccess}, which checks permissions and audits changes), and the server
 * hook that tells the core when an agent's connection closes.
 */
public record RpcEndpoints(AgentService.AsyncIface agents, ClientService.AsyncIface clients,
                           TServerEventHandler connectionEvents, ConnectionCloser closer) {
    /**
     * @param io runs blocking artifact store work off the Thrift threads
     * @param maxArtifactBytes the largest artifact a client may upload
     * @param logs relays clients' log reads to the agents that hold the output
     * @param security how clients and agents are known, where clients' changes are audited, how job secrets are sealed
     */
    public static RpcEndpoints create(Leadership leadership, ExecutorService io, long maxArtifactBytes, LogRelay logs,
                                      EndpointSecurity security, Clock clock) {
        CoreGateway core = new CoreGateway(leadership, io);
        ConnectionTracker connections = new ConnectionTracker(leadership);
        Handshake handshake = new Handshake(leadership, connections);
        ArtifactCalls artifacts = new ArtifactCalls(core, maxArtifactBytes);
        ConnectionCloser closer = new ConnectionCloser();
        TaskStreams streams = new TaskStreams(core, new TaskStreamRecorder(clock));
        AgentEndpoint agents = new AgentEndpoint(core, handshake, connections, artifacts, logs, security.agents(),
                security.secrets(), streams);
        return new RpcEndpoints(
                new AgentRequests(new AgentIdentityGuard(agents, connections, core, security.agents(), clock)),
                new ClientRequests(new ClientAccess(new ClientEndpoint(core, handshake, artifacts,
                        new LogReadCalls(core, logs), new ScheduleCalls(core, security.secrets()), security.secrets(),
                        new AgentRevocations(core, security.agents(), closer), streams),
                        new Callers(connections, core, security.clients()), core, security.clients().audit())),
                connections, closer);
    }
}
