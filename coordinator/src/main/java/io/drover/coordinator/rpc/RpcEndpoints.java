package io.drover.coordinator.rpc;

import io.drover.coordinator.agentid.AgentTrust;
import io.drover.coordinator.leader.Leadership;
import java.time.Clock;

import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ClientService;
import java.util.concurrent.ExecutorService;
import org.apache.thrift.server.TServerEventHandler;

/**
 * The coordinator's Thrift face, one endpoint per caller, wired to one {@link CoreGateway}:
 * {@link AgentEndpoint} for agents, {@link ClientEndpoint} for clients, each behind the one layer
 * that checks its requests' fields ({@link AgentRequests}, {@link ClientRequests}), and the server
 * hook that tells the core when an agent's connection closes.
 */
public record RpcEndpoints(AgentService.AsyncIface agents, ClientService.AsyncIface clients,
                           TServerEventHandler connectionEvents, ConnectionCloser closer) {
    /**
     * @param io runs blocking artifact store work off the Thrift threads
     * @param maxArtifactBytes the largest artifact a client may upload
     * @param logs relays clients' log reads to the agents that hold the output
     */
    public static RpcEndpoints create(Leadership leadership, ExecutorService io, long maxArtifactBytes, LogRelay logs) {
        return create(leadership, io, maxArtifactBytes, logs, AgentTrust.insecure(), Clock.systemUTC());
    }

    /** @param trust how agents are known: by certificate, or (insecure) by the name they announce */
    public static RpcEndpoints create(Leadership leadership, ExecutorService io, long maxArtifactBytes, LogRelay logs,
                                      AgentTrust trust, Clock clock) {
        CoreGateway core = new CoreGateway(leadership, io);
        ConnectionTracker connections = new ConnectionTracker(leadership);
        Handshake handshake = new Handshake(leadership, connections);
        ArtifactCalls artifacts = new ArtifactCalls(core, maxArtifactBytes);
        ConnectionCloser closer = new ConnectionCloser();
        AgentEndpoint agents = new AgentEndpoint(core, handshake, connections, artifacts, logs, trust);
        return new RpcEndpoints(
                new AgentRequests(new AgentIdentityGuard(agents, connections, core, trust, clock)),
                new ClientRequests(new ClientEndpoint(core, handshake, artifacts, new LogReadCalls(core, logs),
                        new ScheduleCalls(core), new AgentRevocations(core, trust, closer))),
                connections, closer);
    }
}
