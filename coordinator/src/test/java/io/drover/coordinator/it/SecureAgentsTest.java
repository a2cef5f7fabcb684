package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.agentid.AgentAccessException;
import io.drover.coordinator.agentid.AgentEnrollment;
import io.drover.coordinator.agentid.AgentTrust;
import io.drover.coordinator.agentid.CertificateNames;
import io.drover.coordinator.agentid.JoinToken;
import io.drover.coordinator.agentid.TestCa;
import io.drover.coordinator.trust.SecurityAgentTrust;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.PeerNames;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.AccessDenied;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.Assignment;
import io.drover.protocol.thrift.CertificateGrant;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.JoinRequest;
import io.drover.protocol.thrift.RunningAttempt;
import io.drover.protocol.thrift.droverConstants;
import io.drover.protocol.tls.TlsSettings;
import io.drover.protocol.tls.TlsSockets;
import io.drover.security.ClusterCa;
import io.drover.security.IssuedCredentials;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A secure coordinator (agents known by their certificate) on real ZooKeeper and real sockets:
 * join, a second join for a held id, a reused token, calls without a certificate, renewal, and a
 * revocation that closes the agent's connections within a second and re-queues its work. Real TLS
 * 1.3: the coordinator's certificate and the agents' come from the security module's {@link ClusterCa}
 * (agents' through {@link SecurityAgentTrust#issuer}), and an agent presents the certificate it was
 * granted in the handshake.
 */
class SecureAgentsTest {
    private final Map<String, JoinToken> tokens = new ConcurrentHashMap<>();
    private final ClusterCa ca = ClusterCa.create("test", Clock.systemUTC());
    private final List<TSocket> sockets = new ArrayList<>();
    private TestingServer zk;
    private CoordinatorServer coordinator;

    @BeforeEach
    void start() throws Exception {
        Instant in1h = Instant.now().plus(Duration.ofHours(1));
        tokens.put("single", new JoinToken("single", "agent", Optional.of("edge"), in1h, 1));
        tokens.put("multi", new JoinToken("multi", "agent", Optional.empty(), in1h, 0));
        zk = new TestingServer(true);
        coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString())
                .withListen("127.0.0.1", 0).withSessionTimeout(Duration.ofSeconds(3)), Clock.systemUTC())
                .agentTrust(certs -> AgentTrust.secure(new AgentEnrollment(certs, t -> Optional.ofNullable(tokens.get(t))
                        .orElseThrow(() -> new AgentAccessException("unknown token")),
                        SecurityAgentTrust.issuer(ca, Duration.ofHours(24)), Clock.systemUTC())))
                .withTls(serverTls())
                .start();
        await().atMost(Duration.ofSeconds(20)).until(coordinator::isLeader);
    }

    @AfterEach
    void stop() throws Exception {
        sockets.forEach(TSocket::close);
        coordinator.close();
        zk.close();
    }

    @Test
    void joinRenewAndRevoke() throws Exception {
        AgentService.Client joining = agent(withoutCertificate(), "a1");
        KeyPair key = TestCa.newKey();
        CertificateGrant grant = joining.join(new JoinRequest("single", "a1", TestCa.csr(key, "a1")));
        X509Certificate cert = TestCa.certificate(grant.getCertificatePem());
        assertThat(CertificateNames.commonName(cert)).contains("a1");
        assertThat(grant.getPool()).isEqualTo("edge");
        TlsSettings a1Tls = TlsSettings.clientWithKey(key.getPrivate(), List.of(cert, ca.certificate()), ca.certificate());

        AgentService.Client stranger = agent(withoutCertificate(), "a1");
        assertThatThrownBy(() -> stranger.join(new JoinRequest("multi", "a1", TestCa.csr(TestCa.newKey(), "a1"))))
                .isInstanceOf(AccessDenied.class).hasMessageContaining("agent id a1 is held by another certificate")
                .hasMessageContaining("drover agents revoke a1");
        assertThatThrownBy(() -> stranger.join(new JoinRequest("single", "a9", TestCa.csr(TestCa.newKey(), "a9"))))
                .isInstanceOf(AccessDenied.class).hasMessageContaining("already used 1 time");
        assertThatThrownBy(() -> stranger.registerAgent(registration("a1")))
                .isInstanceOf(AccessDenied.class).hasMessageContaining("needs the agent's certificate");

        ClientService.Client client = CoordinatorService.CLIENT.client(connect(withoutCertificate()));
        JobSubmission s = new JobSubmission("p", "alice", "k", JobKind.PROCESS, 1, List.of(), 1, 3, 0, false, 0, Map.of(), 0);
        s.setCommand(List.of("true"));
        String jobId = client.submit(s).getJobId();

        AgentService.Client a1 = agent(a1Tls, "whoever"); // the certificate names it, not the hello
        assertThatThrownBy(() -> a1.heartbeat(poll("a2", List.of(), 0))).isInstanceOf(AccessDenied.class)
                .hasMessage("this connection is agent a1; it may not call heartbeat for agent a2");
        a1.registerAgent(registration("a1"));
        Assignment work = a1.heartbeat(poll("a1", List.of(), 0)).getAssignments().get(0);
        assertThat(work.getJobId()).isEqualTo(jobId);

        CertificateGrant renewed = a1.renewCertificate(TestCa.csr(TestCa.newKey(), "a1"));
        X509Certificate next = TestCa.certificate(renewed.getCertificatePem());
        assertThat(next.getSerialNumber()).isNotEqualTo(cert.getSerialNumber());
        assertThat(CertificateNames.commonName(next)).contains("a1");
        assertThat(renewed.getPool()).isEqualTo("edge");

        AgentService.Client parked = agent(a1Tls, "a1");
        List<RunningAttempt> running = List.of(new RunningAttempt(work.getAttemptId(), jobId, work.getTask()));
        CompletableFuture<Object> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return parked.heartbeat(poll("a1", running, 30_000));
            } catch (Exception e) {
                return e;
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> client.listAgents().stream()
                .anyMatch(v -> v.getAgentId().equals("a1") && v.getRunning() == 1));

        long t0 = System.nanoTime();
        client.revokeAgent("a1");
        Object ended = poll.get(1, TimeUnit.SECONDS); // the parked poll's connection closed within a second
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(ended).as("the parked poll ended: its connection was closed or it was told to re-register")
                .satisfiesAnyOf(e -> assertThat(e).isInstanceOf(Exception.class),
                        r -> assertThat(((io.drover.protocol.thrift.HeartbeatReply) r).isReRegister()).isTrue());
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThatThrownBy(() -> a1.heartbeat(poll("a1", running, 0))).as("its other connection is closed")
                        .isNotInstanceOf(AccessDenied.class));
        var job = client.getJob(jobId, true, false);
        assertThat(job.getRunning()).as("its work is re-queued").isZero();
        assertThat(client.listAgents()).noneMatch(v -> v.getAgentId().equals("a1"));

        AgentService.Client again = agent(a1Tls, "a1"); // the old certificate, on a new connection
        assertThatThrownBy(() -> again.heartbeat(poll("a1", List.of(), 0))).isInstanceOf(AccessDenied.class)
                .hasMessageContaining("is revoked");
        assertThatThrownBy(() -> again.renewCertificate(TestCa.csr(TestCa.newKey(), "a1"))).isInstanceOf(AccessDenied.class);
        assertThat(stranger.join(new JoinRequest("multi", "a1", TestCa.csr(TestCa.newKey(), "a1"))).getAgentId())
                .as("a revoked id may join again with a new token").isEqualTo("a1");
    }

    private TlsSettings serverTls() {
        IssuedCredentials server = ca.issueServer(List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
        return TlsSettings.server(server.keyPair().getPrivate(), server.chain(), ca.certificate());
    }

    /** What a joining agent or a client presents: the CA to check the coordinator by, no certificate. */
    private TlsSettings withoutCertificate() {
        return TlsSettings.client(ca.certificate());
    }

    private AgentService.Client agent(TlsSettings tls, String name) throws Exception {
        AgentService.Client c = CoordinatorService.AGENT.client(connect(tls));
        c.hello(new Hello(droverConstants.PROTOCOL_VERSION, PeerNames.agent(name, "test")));
        return c;
    }

    private TCompactProtocol connect(TlsSettings tls) throws Exception {
        TSocket socket = TlsSockets.open(tls, "127.0.0.1", coordinator.port(), 40_000, 5_000);
        sockets.add(socket);
        return new TCompactProtocol(new TFramedTransport(socket, WireLimits.MAX_FRAME_BYTES));
    }

    private static AgentRegistration registration(String agentId) {
        return new AgentRegistration(agentId, "host", 2, Map.of(), droverConstants.PROTOCOL_VERSION, "test").setInstanceId("i1");
    }

    private static HeartbeatRequest poll(String agentId, List<RunningAttempt> running, long waitMs) {
        return new HeartbeatRequest(agentId, List.of(), running, 2, false, waitMs, droverConstants.PROTOCOL_VERSION);
    }
}
