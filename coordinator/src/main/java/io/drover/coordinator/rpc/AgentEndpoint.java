package io.drover.coordinator.rpc;

import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.secrets.SecretSealer;
import io.drover.coordinator.agentid.AgentAccessException;
import io.drover.coordinator.agentid.AgentEnrollment;
import io.drover.coordinator.agentid.AgentTrust;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.AccessDenied;
import io.drover.protocol.thrift.CertificateGrant;
import io.drover.protocol.thrift.JoinRequest;
import java.util.Optional;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.BlobChunk;
import io.drover.protocol.thrift.ResultBlobStatus;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.IncompatibleVersion;
import io.drover.protocol.thrift.InvalidRequest;
import io.drover.protocol.thrift.JobDescriptor;
import io.drover.protocol.thrift.LogChunk;
import io.drover.protocol.thrift.LogRequest;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.droverConstants;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.thrift.async.AsyncMethodCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What agents call. Registration and heartbeats are events for the core loop; a heartbeat with
 * {@code maxWaitMs > 0} is a long poll the core parks until there is work for the agent, holding no
 * thread. Each call names the agent's connection, so a closed connection is traced to its agent
 * (and its parked poll) at once. A standby answers everything but {@code hello} with NotLeader.
 */
public final class AgentEndpoint implements AgentService.AsyncIface {
    private static final Logger log = LoggerFactory.getLogger(AgentEndpoint.class);
    private static final long MAX_POLL_WAIT_MS = 60_000;

    private final CoreGateway core;
    private final Handshake handshake;
    private final ConnectionTracker connections;
    private final ArtifactCalls artifacts;
    private final ResultBlobCalls blobs;
    private final LogRelay logs;
    private final SecretSealer secrets;
    private final AgentTrust trust;
    private final TaskStreams streams;
    private final io.drover.coordinator.transport.RateLimitedLog joinRefusals = new io.drover.coordinator.transport.RateLimitedLog(
            log, System::currentTimeMillis);
    private final Map<String, Claim> claims = new HashMap<>(); // by agent id; guarded by itself

    AgentEndpoint(CoreGateway core, Handshake handshake, ConnectionTracker connections, ArtifactCalls artifacts,
                  LogRelay logs, AgentTrust trust, SecretSealer secrets, TaskStreams streams) {
        this.trust = trust;
        this.streams = streams;
        this.secrets = secrets;
        this.core = core;
        this.handshake = handshake;
        this.connections = connections;
        this.artifacts = artifacts;
        this.blobs = new ResultBlobCalls(core);
        this.logs = logs;
    }

    @Override
    public void hello(Hello hello, AsyncMethodCallback<ServerInfo> done) {
        handshake.hello(hello, done);
    }

    @Override
    public void registerAgent(AgentRegistration r, AsyncMethodCallback<Void> done) {
        if (r == null || r.getAgentId() == null || r.getAgentId().isBlank() || r.getSlots() < 1) {
            done.onError(new InvalidRequest("registration needs an agentId and slots >= 1"));
            return;
        }
        if (r.getProtocolVersion() < droverConstants.MIN_PROTOCOL_VERSION) {
            done.onError(new IncompatibleVersion("agent protocol " + r.getProtocolVersion() + " too old",
                    droverConstants.MIN_PROTOCOL_VERSION, droverConstants.PROTOCOL_VERSION));
            return;
        }
        Map<String, String> labels = r.getLabels() == null ? Map.of() : r.getLabels();
        ConnectionTracker.Connection conn = connections.current();
        String instance = r.isSetInstanceId() && !r.getInstanceId().isBlank() ? r.getInstanceId() : null;
        String clash = claim(r.getAgentId(), instance, r.getHost(), conn);
        if (clash != null) {
            log.warn("refused the registration of agent {} from host {}: {}", r.getAgentId(), r.getHost(), clash);
            done.onError(new InvalidRequest(clash));
            return;
        }
        conn.agentId = r.getAgentId();
        CoreAsk<Response.Registered> ask = new CoreAsk<>(Response.Registered.class, (id, now) ->
                new Event.RegisterAgent(id, now, r.getAgentId(), r.getHost(), r.getSlots(), labels, r.getSoftwareVersion(),
                        PlacementReports.cachedArtifacts(r), PlacementReports.memoryMb(r)));
        core.answer(done, ask, registered -> {
            log.info("agent {} registered from {} with {} slots, labels {}, version {}", r.getAgentId(), r.getHost(),
                    r.getSlots(), labels, r.getSoftwareVersion());
            return null;
        });
    }

    /**
     * Takes the agent id for a registration or a heartbeat, or says why not: the id is held by a
     * different agent (another instance id, or without instance ids another host) that still has an
     * open connection here. The same agent registering or heartbeating again (a restart, a reconnect,
     * after a failover or a network split) is always accepted, even while its old connections still
     * look open. A heartbeat claims too, so a leader that took over while agents stayed registered
     * (they only heartbeat) learns who holds which id, and an agent that heartbeats on after a split
     * without registering is checked like a registration.
     */
    private String claim(String agentId, String instance, String host, ConnectionTracker.Connection conn) {
        synchronized (claims) {
            Claim held = claims.get(agentId);
            if (held != null && !held.sameAgent(instance, host)) {
                if (connections.hasOpenConnection(agentId, conn)) {
                    return "agent id " + agentId + " is in use by another agent on host " + held.host()
                            + " since " + held.since() + "; give this one --id or its own --work-dir";
                }
                log.info("agent id {} moves from the agent on host {} (no open connection since) to the one on host {}",
                        agentId, held.host(), host);
                held = null;
            }
            claims.put(agentId, new Claim(instance, held != null && host.startsWith("(") ? held.host() : host,
                    held != null ? held.since() : Instant.now().truncatedTo(ChronoUnit.SECONDS)));
            return null;
        }
    }

    /** The registration an agent id belongs to on this coordinator. */
    private record Claim(String instanceId, String host, Instant since) {
        boolean sameAgent(String otherInstance, String otherHost) {
            if (instanceId != null && otherInstance != null) {
                return instanceId.equals(otherInstance);
            }
            return host.equals(otherHost); // an agent of a release without instance ids
        }
    }

    /** Long poll: answered at once when there is work, acks or cancellations, else within maxWaitMs. */
    @Override
    public void heartbeat(HeartbeatRequest q, AsyncMethodCallback<HeartbeatReply> done) {
        if (q == null || q.getAgentId() == null) {
            done.onError(new InvalidRequest("heartbeat needs an agentId"));
            return;
        }
        var reports = WireMapper.reports(q.getResults(), WireLimits.MAX_RESULT_BYTES);
        var running = WireMapper.running(q.getRunning());
        long wait = Math.max(0, Math.min(MAX_POLL_WAIT_MS, q.getMaxWaitMs()));
        ConnectionTracker.Connection conn = connections.current();
        if (q.isSetInstanceId() && !q.getInstanceId().isBlank()) { // older agents are checked at registration only
            String from = conn.peer == null ? "(unknown address)" : "(" + conn.peer.remote().getHostAddress() + ")";
            String clash = claim(q.getAgentId(), q.getInstanceId(), from, conn);
            if (clash != null) {
                log.warn("refused a heartbeat of agent {} from {}: {}", q.getAgentId(), from, clash);
                done.onError(new InvalidRequest(clash));
                return;
            }
        }
        conn.agentId = q.getAgentId();
        conn.heartbeats = true;
        // Results kept as blobs are checked against the store first (off the Thrift thread); others go straight on.
        blobs.verified(done, reports).thenAccept(checked -> {
            CoreAsk<Response.HeartbeatAnswer> ask = new CoreAsk<>(Response.HeartbeatAnswer.class, (id, now) -> {
                if (wait > 0) {
                    conn.lastPollRequest = id;
                }
                return new Event.Heartbeat(id, now, q.getAgentId(), checked, running, q.isDraining(), wait);
            });
            core.answer(done, ask, answer -> {
                HeartbeatReply reply = WireMapper.heartbeatReply(answer);
                streams.heartbeat(q, reply);
                return withLogRequests(reply, q.getAgentId());
            });
        });
    }

    @Override
    public void describeJob(String jobId, AsyncMethodCallback<JobDescriptor> done) {
        core.answer(done, CoreAsk.definition(jobId), answer -> WireMapper.descriptor(answer.definition(), secrets));
    }

    @Override
    public void dependencyResults(String jobId, AsyncMethodCallback<io.drover.protocol.thrift.DependencyResults> done) {
        core.answer(done, CoreAsk.upstreamResults(jobId), WireMapper::dependencyResults);
    }

    @Override
    public void fetchArtifact(String sha256, long offset, int maxBytes, AsyncMethodCallback<ArtifactChunk> done) {
        artifacts.fetch(sha256, offset, maxBytes, done);
    }

    @Override
    public void beginResultBlob(String sha256, long size, AsyncMethodCallback<ResultBlobStatus> done) {
        blobs.begin(sha256, size, done);
    }

    @Override
    public void uploadResultChunk(BlobChunk chunk, AsyncMethodCallback<ResultBlobStatus> done) {
        blobs.upload(chunk, done);
    }

    @Override
    public void fetchResultBlob(String sha256, long offset, int maxBytes, AsyncMethodCallback<BlobChunk> done) {
        blobs.fetch(sha256, offset, maxBytes, done);
    }

    /** An agent answers a log request it found in a heartbeat reply. */
    @Override
    public void deliverLog(String agentId, LogChunk chunk, AsyncMethodCallback<Void> done) {
        if (agentId == null || chunk == null) {
            done.onError(new InvalidRequest("deliverLog needs an agentId and a chunk"));
            return;
        }
        try {
            switch (logs.deliver(agentId, chunk)) {
                case DELIVERED -> done.onComplete(null);
                case NOT_WAITING -> {
                    log.debug("agent {} answered log request {} after its reader stopped waiting; dropped", agentId,
                            chunk.getRequestId());
                    done.onComplete(null);
                }
                case NOT_YOURS -> {
                    log.warn("agent {} answered log request {}, which was sent to another agent; refused", agentId,
                            chunk.getRequestId());
                    done.onError(new AccessDenied("log request " + chunk.getRequestId() + " was not sent to agent " + agentId));
                }
            }
        } catch (IllegalArgumentException e) {
            done.onError(new InvalidRequest(e.getMessage()));
        }
    }

    /** Log requests waiting for this agent ride on its heartbeat reply (agents are outbound-only). */
    private HeartbeatReply withLogRequests(HeartbeatReply reply, String agentId) {
        List<LogRequest> requests = logs.takeFor(agentId);
        if (!requests.isEmpty()) {
            reply.setLogRequests(requests);
        }
        return reply;
    }

    /** Trades a join token for the agent's first certificate (see {@link AgentEnrollment}). */
    @Override
    public void join(JoinRequest request, AsyncMethodCallback<CertificateGrant> done) {
        Optional<AgentEnrollment> enrollment = trust.enrollment();
        if (enrollment.isEmpty()) {
            done.onError(new InvalidRequest("this coordinator runs --insecure and issues no certificates; start the agent"
                    + " with --insecure too"));
            return;
        }
        io.drover.coordinator.transport.Peer peer = connections.current().peer;
        core.onIo(done, term -> grant(() -> enrollment.get().join(request.getToken(), request.getAgentId(),
                request.getCsrPem(), peer.address()), why -> joinRefusals.warn(peer.remote(),
                "refused a join for agent id " + request.getAgentId() + ": " + why)));
    }

    /** A new certificate for the calling agent (identified by {@link AgentIdentityGuard}): same id and pool. */
    @Override
    public void renewCertificate(String csrPem, AsyncMethodCallback<CertificateGrant> done) {
        ConnectionTracker.Connection conn = connections.current();
        Optional<AgentEnrollment> enrollment = trust.enrollment();
        Optional<java.security.cert.X509Certificate> cert = conn.peer.certificate();
        if (enrollment.isEmpty() || cert.isEmpty() || conn.agentId == null) {
            done.onError(new InvalidRequest("renewCertificate needs a secure coordinator and the agent's certificate"));
            return;
        }
        String agentId = conn.agentId;
        core.onIo(done, term -> grant(() -> enrollment.get().renew(agentId, cert.get().getSerialNumber(), csrPem),
                why -> log.warn("refused to renew the certificate of agent {}: {}", agentId, why)));
    }

    @FunctionalInterface
    private interface Enroll {
        AgentEnrollment.Grant run() throws AgentAccessException;
    }

    /** Runs a join or renewal on the I/O pool; a refusal becomes AccessDenied. */
    private static CertificateGrant grant(Enroll enroll, java.util.function.Consumer<String> refused) {
        try {
            AgentEnrollment.Grant g = enroll.run();
            CertificateGrant grant = new CertificateGrant(g.certificate().certificatePem(), g.certificate().caPem(),
                    g.certificate().notAfter().toEpochMilli(), g.agentId(), g.pool().orElse(""));
            return grant;
        } catch (AgentAccessException e) {
            refused.accept(e.getMessage());
            throw new DeniedException(e.getMessage());
        }
    }
}
