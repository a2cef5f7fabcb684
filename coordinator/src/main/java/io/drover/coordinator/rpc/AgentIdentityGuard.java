package io.drover.coordinator.rpc;

import io.drover.coordinator.agentid.AgentTrust;
import io.drover.coordinator.agentid.CertificateNames;
import io.drover.coordinator.transport.Peer;
import io.drover.coordinator.transport.RateLimitedLog;
import io.drover.protocol.thrift.AccessDenied;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.CertificateGrant;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.JobDescriptor;
import io.drover.protocol.thrift.JoinRequest;
import io.drover.protocol.thrift.LogChunk;
import io.drover.protocol.thrift.ServerInfo;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.thrift.TException;
import org.apache.thrift.async.AsyncMethodCallback;
import org.slf4j.LoggerFactory;

/**
 * Who is calling, and may they: between {@link AgentRequests} (fields) and {@link AgentEndpoint}.
 * A secure coordinator knows an agent by its certificate's CN (not revoked, not expired); without a
 * certificate a connection may only say hello and join. An insecure one takes the id the
 * connection's hello announced (or its first registration or heartbeat). Either way a call naming
 * another agent id is refused, and an agent reads only the jobs and artifacts of the attempts it
 * holds (and the result blobs those jobs read). Refusals are AccessDenied, logged one line a minute per address.
 */
final class AgentIdentityGuard implements AgentService.AsyncIface {
    private final AgentService.AsyncIface next;
    private final ConnectionTracker connections;
    private final CoreGateway core;
    private final AgentTrust trust;
    private final Clock clock;
    private final RateLimitedLog refusals;

    AgentIdentityGuard(AgentService.AsyncIface next, ConnectionTracker connections, CoreGateway core, AgentTrust trust,
                       Clock clock) {
        this.next = next;
        this.connections = connections;
        this.core = core;
        this.trust = trust;
        this.clock = clock;
        this.refusals = new RateLimitedLog(LoggerFactory.getLogger("io.drover.coordinator.rpc.AccessDenied"),
                clock::millis);
    }

    @Override
    public void hello(Hello hello, AsyncMethodCallback<ServerInfo> done) throws TException {
        ConnectionTracker.Connection conn = connections.current();
        String before = conn.agentId;
        next.hello(hello, done);
        if (trust.secure()) { // the hello's name proves nothing: the connection is its certificate's
            conn.agentId = certified(conn.peer).orElse(null);
        } else if (before != null) { // insecure: a connection keeps the first agent it spoke for
            conn.agentId = before;
        }
    }

    @Override
    public void join(JoinRequest request, AsyncMethodCallback<CertificateGrant> done) throws TException {
        next.join(request, done);
    }

    @Override
    public void registerAgent(AgentRegistration r, AsyncMethodCallback<Void> done) throws TException {
        if (speaksFor(r.getAgentId(), "registerAgent", done)) {
            next.registerAgent(r, done);
        }
    }

    @Override
    public void heartbeat(HeartbeatRequest q, AsyncMethodCallback<HeartbeatReply> done) throws TException {
        if (speaksFor(q.getAgentId(), "heartbeat", done)) {
            next.heartbeat(q, done);
        }
    }

    @Override
    public void deliverLog(String agentId, LogChunk chunk, AsyncMethodCallback<Void> done) throws TException {
        if (speaksFor(agentId, "deliverLog", done)) {
            next.deliverLog(agentId, chunk, done);
        }
    }

    @Override
    public void renewCertificate(String csrPem, AsyncMethodCallback<CertificateGrant> done) throws TException {
        if (caller("renewCertificate", done).isPresent()) {
            next.renewCertificate(csrPem, done);
        }
    }

    /** Only an agent that holds a live attempt of the job (assigned in the reply it just got, or later). */
    @Override
    public void describeJob(String jobId, AsyncMethodCallback<JobDescriptor> done) {
        holding("describeJob", done, h -> h.jobIds().contains(jobId), "job " + jobId, () -> next.describeJob(jobId, done));
    }

    /** Only an agent that holds a live attempt of the dependant job: upstream results go where its tasks run. */
    @Override
    public void dependencyResults(String jobId, AsyncMethodCallback<io.drover.protocol.thrift.DependencyResults> done) {
        holding("dependencyResults", done, h -> h.jobIds().contains(jobId), "job " + jobId,
                () -> next.dependencyResults(jobId, done));
    }

    /** Only an agent that holds a task of a job that runs the artifact. */
    @Override
    public void fetchArtifact(String sha256, long offset, int maxBytes, AsyncMethodCallback<ArtifactChunk> done) {
        holding("fetchArtifact", done, h -> h.artifactSha256s().contains(sha256), "artifact " + sha256,
                () -> next.fetchArtifact(sha256, offset, maxBytes, done));
    }

    @FunctionalInterface
    private interface Call {
        void run() throws TException;
    }

    private void holding(String method, AsyncMethodCallback<?> done,
                         Predicate<io.drover.coordinator.core.Response.AgentHoldings> allowed, String what, Call call) {
        Optional<String> id = caller(method, done);
        if (id.isEmpty()) {
            return;
        }
        Peer peer = connections.current().peer; // the answer comes on the core's thread
        core.askThen(done, CoreAsk.holdings(id.get())).thenAccept(holdings -> {
            if (!allowed.test(holdings)) {
                deny(peer, done, "agent " + id.get() + " holds no task of " + what + "; an agent reads only what it was assigned");
                return;
            }
            try {
                call.run();
            } catch (TException | RuntimeException e) {
                done.onError(core.translate(e));
            }
        });
    }

    /** Whether this connection may speak for {@code named}; else answered AccessDenied. */
    private boolean speaksFor(String named, String method, AsyncMethodCallback<?> done) {
        ConnectionTracker.Connection conn = connections.current();
        Optional<String> id = caller(method, done);
        if (id.isEmpty()) {
            if (!trust.secure() && conn.agentId == null) {
                conn.agentId = named; // an insecure connection that did not name itself in hello: its first claim
                return true;
            }
            return false;
        }
        if (!id.get().equals(named)) {
            deny(done, "this connection is agent " + id.get() + "; it may not call " + method + " for agent " + named);
            return false;
        }
        return true;
    }

    /**
     * The agent this connection is, or empty (answered AccessDenied, except for an insecure
     * connection that has not named itself yet, left to {@link #speaksFor}).
     */
    private Optional<String> caller(String method, AsyncMethodCallback<?> done) {
        ConnectionTracker.Connection conn = connections.current();
        if (!trust.secure()) {
            if (conn.agentId == null && !method.equals("registerAgent") && !method.equals("heartbeat")
                    && !method.equals("deliverLog")) {
                deny(done, method + " needs the agent's name: say hello with it first");
            }
            return Optional.ofNullable(conn.agentId);
        }
        Optional<X509Certificate> cert = conn.peer.certificate();
        if (cert.isEmpty()) {
            deny(done, method + " needs the agent's certificate and this connection presented none; start the agent"
                    + " with --join-token to join the cluster");
            return Optional.empty();
        }
        X509Certificate c = cert.get();
        if (trust.enrollment().orElseThrow().isRevoked(c.getSerialNumber())) {
            deny(done, "certificate " + c.getSerialNumber().toString(16) + " is revoked; the agent must join again"
                    + " with a new join token");
            return Optional.empty();
        }
        if (!clock.instant().isBefore(c.getNotAfter().toInstant())) {
            deny(done, "certificate " + c.getSerialNumber().toString(16) + " expired at " + c.getNotAfter().toInstant()
                    + "; the agent must join again with a new join token");
            return Optional.empty();
        }
        Optional<String> id = CertificateNames.commonName(c);
        if (id.isEmpty()) {
            deny(done, "the certificate presented names no agent (no single CN)");
            return Optional.empty();
        }
        conn.agentId = id.get();
        return id;
    }

    private Optional<String> certified(Peer peer) {
        return peer.certificate().flatMap(CertificateNames::commonName);
    }

    private void deny(AsyncMethodCallback<?> done, String why) {
        deny(connections.current().peer, done, why);
    }

    private void deny(Peer peer, AsyncMethodCallback<?> done, String why) {
        refusals.warn(peer.remote(), "refused: " + why);
        done.onError(new AccessDenied(why));
    }

    /**
     * Result blobs: any agent this coordinator knows may upload one (its report names the attempt, which
     * the core checks); reading one is checked against what the agent holds ({@link #fetchResultBlob}).
     */
    @Override
    public void beginResultBlob(String sha256, long size, AsyncMethodCallback<io.drover.protocol.thrift.ResultBlobStatus> done)
            throws TException {
        if (caller("beginResultBlob", done).isPresent()) {
            next.beginResultBlob(sha256, size, done);
        }
    }

    @Override
    public void uploadResultChunk(io.drover.protocol.thrift.BlobChunk chunk,
                                  AsyncMethodCallback<io.drover.protocol.thrift.ResultBlobStatus> done) throws TException {
        if (caller("uploadResultChunk", done).isPresent()) {
            next.uploadResultChunk(chunk, done);
        }
    }

    /**
     * Only a blob a job of the agent's live attempts reads: its reduce inputs, or the result of a job it
     * depends on (an upstream blob is readable only while the agent runs a task of the dependant).
     */
    @Override
    public void fetchResultBlob(String sha256, long offset, int maxBytes,
                                AsyncMethodCallback<io.drover.protocol.thrift.BlobChunk> done) {
        holding("fetchResultBlob", done, h -> h.resultBlobSha256s().contains(sha256), "a job that reads result " + sha256,
                () -> next.fetchResultBlob(sha256, offset, maxBytes, done));
    }
}
