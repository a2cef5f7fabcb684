package io.drover.cli.server;

import static org.awaitility.Awaitility.await;

import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.agent.identity.EnrollmentRefusedException;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.trust.ClusterTrust;
import io.drover.protocol.Endpoint;
import io.drover.sdk.Credentials;
import io.drover.sdk.DroverClient;
import io.drover.protocol.tls.TlsSettings;
import io.drover.security.AgentKeys;
import io.drover.security.BadCertificateRequestException;
import io.drover.security.Role;
import io.drover.security.SecretsDir;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.test.TestingServer;

/**
 * A secure cluster in this process as production wires it: real ZooKeeper (Curator's test server), a
 * secrets directory, a coordinator made secure by {@link ClusterTrust#secure} (TLS 1.3, tokens,
 * agent certificates for {@code agentCertificateTtl}), and agents that join with join tokens through
 * {@link AgentSecurity} as {@code drover agent} does: key made here, signing request, join over TLS,
 * renewal in the background.
 */
final class SecureGrid implements AutoCloseable {
    private final Path dir;
    private final TestingServer zk;
    private final SecretsDir secrets;
    private final CoordinatorServer coordinator;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final Map<String, AgentSecurity> joined = new ConcurrentHashMap<>();

    private SecureGrid(Path dir, TestingServer zk, SecretsDir secrets, CoordinatorServer coordinator) {
        this.dir = dir;
        this.zk = zk;
        this.secrets = secrets;
        this.coordinator = coordinator;
    }

    static SecureGrid start(Path dir, Duration agentCertificateTtl) throws Exception {
        TestingServer zk = new TestingServer(true);
        try {
            SecretsDir secrets = SecretsDir.init(dir.resolve("secrets"), "grid", Clock.systemUTC());
            ClusterTrust trust = new ClusterTrust(secrets);
            CoordinatorServer server = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString())
                    .withListen("127.0.0.1", 0).withSessionTimeout(Duration.ofSeconds(3)), Clock.systemUTC());
            trust.secure(server, trust.serverTls(List.of("127.0.0.1")), trust.zooKeeperCredential(), agentCertificateTtl,
                    Clock.systemUTC());
            CoordinatorServer started = server.start();
            SecureGrid grid = new SecureGrid(dir, zk, secrets, started);
            await().atMost(Duration.ofSeconds(20)).until(started::isLeader);
            return grid;
        } catch (Exception | Error e) {
            zk.close();
            throw e;
        }
    }

    SecretsDir secrets() {
        return secrets;
    }

    CoordinatorServer coordinator() {
        return coordinator;
    }

    Endpoint endpoint() {
        return Endpoint.parse(coordinator.endpoint());
    }

    /** A join token of this cluster's token key, for {@code uses} joins (0: unbounded). */
    String joinToken(int uses) {
        return secrets.tokens().create(Role.AGENT, "ops", Optional.empty(), Duration.ofHours(1), uses);
    }

    AgentConfig agentConfig(String agentId, int slots) {
        return new AgentConfig(agentId, "127.0.0.1", List.of(endpoint()), slots, Map.of(), dir.resolve(agentId),
                Duration.ofSeconds(5), AgentConfig.DEFAULT_REPORT_BATCH_WINDOW);
    }

    /** The agent's side of {@code drover agent --ca-file ca.pem --join-token T}; closed with the grid. */
    AgentSecurity establish(AgentConfig config, String joinToken) throws EnrollmentRefusedException {
        TlsFlags tls = new TlsFlags();
        tls.caFile = secrets.caCertificateFile();
        JoinFlags join = new JoinFlags();
        join.joinToken = joinToken;
        AgentSecurity security = AgentSecurity.establish(config, tls, join);
        opened.add(security);
        joined.put(config.agentId(), security);
        return security;
    }

    /** The security of an agent that joined through {@link #establish}. */
    AgentSecurity joined(String agentId) {
        return joined.get(agentId);
    }

    /** An agent that joined with {@code joinToken}, started and registered. */
    Agent startAgent(String agentId, int slots, String joinToken) throws Exception {
        AgentConfig config = agentConfig(agentId, slots);
        Agent agent = new Agent(config, establish(config, joinToken).security());
        opened.add(agent);
        agent.start();
        if (!agent.awaitRegistered(Duration.ofSeconds(20))) {
            throw new AssertionError("agent " + agentId + " did not register within 20 s");
        }
        return agent;
    }

    /** A client with the admin token made by {@code drover ca init}. */
    DroverClient adminClient() throws IOException {
        DroverClient client = DroverClient.builder().endpoints(coordinator.endpoint())
                .credentials(Credentials.caFile(secrets.caCertificateFile())
                        .withToken(Files.readString(secrets.adminTokenFile()).strip()))
                .build();
        opened.add(client);
        return client;
    }

    /** The serial of the certificate the agent holds now, read from its identity store on disk. */
    BigInteger storedSerial(String agentId) {
        Path pem = dir.resolve(agentId).resolve("identity").resolve("agent.pem");
        try (InputStream in = Files.newInputStream(pem)) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("cannot read " + pem + ": " + e.getMessage(), e);
        }
    }

    /** An agent certificate signed directly by {@code secrets}' CA (no join), presented over TLS. */
    static TlsSettings agentTls(SecretsDir secrets, String agentId, Duration ttl) throws BadCertificateRequestException {
        KeyPair key = AgentKeys.generateKeyPair();
        X509Certificate ca = secrets.ca().certificate();
        X509Certificate cert = secrets.ca().signAgent(AgentKeys.certificateRequest(key, agentId), agentId, "default", ttl);
        return TlsSettings.clientWithKey(key.getPrivate(), List.of(cert, ca), ca);
    }

    @Override
    public void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        coordinator.close();
        zk.close();
    }
}
