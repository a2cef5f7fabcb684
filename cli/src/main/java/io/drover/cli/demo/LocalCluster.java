package io.drover.cli.demo;


import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.agent.workers.WorkerSettings;
import io.drover.agent.contain.ContainmentSettings;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.EmbeddedZooKeeper;
import io.drover.coordinator.store.CoordinatorStore;
import io.drover.protocol.Endpoint;
import io.drover.protocol.tls.ClientSecurity;
import io.drover.protocol.tls.TlsSettings;
import io.drover.coordinator.trust.ClusterTrust;
import io.drover.sdk.Credentials;
import io.drover.security.AgentKeys;
import io.drover.security.BadCertificateRequestException;
import io.drover.security.SecretsDir;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A whole Drover cluster in one process on loopback: embedded ZooKeeper, one coordinator and
 * {@code agents} agents, each on real sockets. For the demo and the benchmark; production runs
 * each part as its own process.
 *
 * <p>Secure unless asked otherwise, as production is: a secrets directory made in its temporary
 * directory, TLS 1.3 everywhere, agents with certificates from the cluster CA, clients with the admin
 * token ({@link #credentials()}).
 */
public final class LocalCluster implements AutoCloseable {
    private final Path dir;
    private final EmbeddedZooKeeper zk;
    private final CoordinatorServer coordinator;
    private final List<Agent> agents = new ArrayList<>();
    private final Credentials credentials;
    private final ContainmentSettings containment;
    private final WorkerSettings workers;

    public LocalCluster(int agentCount, int slotsPerAgent) {
        this(agentCount, slotsPerAgent, UnaryOperator.identity(), 0, true);
    }

    /**
     * {@code storeDecorator} wraps the coordinator's store (the benchmark's baseline drops task results);
     * {@code queueAhead} as the agent's {@code --queue-ahead}; {@code secure} false: plaintext, no tokens.
     */
    public LocalCluster(int agentCount, int slotsPerAgent, UnaryOperator<CoordinatorStore> storeDecorator, int queueAhead,
                        boolean secure) {
        this(agentCount, slotsPerAgent, storeDecorator, queueAhead, secure, ContainmentSettings.DEFAULTS);
    }

    /** As above, with the agents' process task containment ({@code --containment}, limits). */
    public LocalCluster(int agentCount, int slotsPerAgent, UnaryOperator<CoordinatorStore> storeDecorator, int queueAhead,
                        boolean secure, ContainmentSettings containment) {
        this(agentCount, slotsPerAgent, storeDecorator, queueAhead, secure, containment, WorkerSettings.defaults());
    }

    /** As above, with the agents' worker JVM settings ({@code --worker-pipeline}, {@code --worker-jvm-option}, ...). */
    public LocalCluster(int agentCount, int slotsPerAgent, UnaryOperator<CoordinatorStore> storeDecorator, int queueAhead,
                        boolean secure, ContainmentSettings containment, WorkerSettings workers) {
        this.containment = containment;
        this.workers = workers;
        this.dir = tempDir();
        this.zk = new EmbeddedZooKeeper(dir.resolve("zk"), 0);
        CoordinatorServer server = new CoordinatorServer(CoordinatorConfig.defaults(zk.connectString()).withListen("127.0.0.1", 0),
                Clock.systemUTC(), storeDecorator);
        java.util.function.Function<String, ClientSecurity> agentSecurity;
        if (secure) {
            SecretsDir secrets = secrets(dir.resolve("secrets"));
            ClusterTrust trust = new ClusterTrust(secrets);
            trust.secure(server, trust.serverTls(List.of("127.0.0.1")), trust.zooKeeperCredential(), Duration.ofHours(24),
                    Clock.systemUTC());
            agentSecurity = id -> ClientSecurity.of(agentCertificate(secrets, id), null);
            credentials = Credentials.caFile(secrets.caCertificateFile()).withToken(adminToken(secrets));
        } else {
            agentSecurity = id -> ClientSecurity.insecure();
            credentials = Credentials.insecure();
        }
        this.coordinator = server.start();
        startAgents(agentCount, slotsPerAgent, queueAhead, agentSecurity);
    }

    /**
     * Plaintext clients, with the coordinator serving {@code serverTls} and each agent connecting as
     * {@code agentSecurity} says for its id (tests of the transport with their own CA).
     */
    public LocalCluster(int agentCount, int slotsPerAgent, UnaryOperator<CoordinatorStore> storeDecorator, int queueAhead,
                        TlsSettings serverTls, java.util.function.Function<String, ClientSecurity> agentSecurity) {
        this.containment = ContainmentSettings.DEFAULTS;
        this.workers = WorkerSettings.defaults();
        this.dir = tempDir();
        this.zk = new EmbeddedZooKeeper(dir.resolve("zk"), 0);
        this.credentials = Credentials.insecure();
        this.coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.connectString()).withListen("127.0.0.1", 0),
                Clock.systemUTC(), storeDecorator).withTls(serverTls).start();
        startAgents(agentCount, slotsPerAgent, queueAhead, agentSecurity);
    }

    private void startAgents(int agentCount, int slotsPerAgent, int queueAhead,
                             java.util.function.Function<String, ClientSecurity> agentSecurity) {
        for (int i = 1; i <= agentCount; i++) {
            AgentConfig config = new AgentConfig("agent-" + i, "127.0.0.1", List.of(Endpoint.parse(coordinator.endpoint())),
                    slotsPerAgent, Map.of("rack", "r" + (i % 2)), dir.resolve("agent-" + i), Duration.ofSeconds(5),
                    AgentConfig.DEFAULT_REPORT_BATCH_WINDOW).withQueueAhead(queueAhead).withContainment(containment)
                    .withWorkers(workers);
            Agent agent = new Agent(config, agentSecurity.apply(config.agentId()));
            agent.start();
            agents.add(agent);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("drover-local-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SecretsDir secrets(Path at) {
        try {
            return SecretsDir.init(at, "local", Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the local cluster's secrets in " + at + ": " + e.getMessage(), e);
        }
    }

    private static String adminToken(SecretsDir secrets) {
        try {
            return Files.readString(secrets.adminTokenFile()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An in-process agent's certificate, signed here (a separate agent process would join with a token). */
    private static TlsSettings agentCertificate(SecretsDir secrets, String agentId) {
        KeyPair key = AgentKeys.generateKeyPair();
        try {
            X509Certificate cert = secrets.ca().signAgent(AgentKeys.certificateRequest(key, agentId), agentId, "default",
                    Duration.ofHours(24));
            return TlsSettings.clientWithKey(key.getPrivate(), List.of(cert, secrets.ca().certificate()),
                    secrets.ca().certificate());
        } catch (BadCertificateRequestException e) {
            throw new IllegalStateException("the local CA refused its own agent's request: " + e.getMessage(), e);
        }
    }

    /** What a client of this cluster connects with: the CA and the admin token, or plaintext. */
    public Credentials credentials() {
        return credentials;
    }

    /** The secrets directory of a secure cluster (its ca.pem and admin.token serve CLI processes). */
    public Path secretsDir() {
        return dir.resolve("secrets");
    }

    public String endpoint() {
        return coordinator.endpoint();
    }

    public CoordinatorServer coordinator() {
        return coordinator;
    }

    public boolean isLeader() {
        return coordinator.isLeader();
    }

    @Override
    public void close() {
        agents.forEach(Agent::close);
        coordinator.close();
        zk.close();
        Directories.deleteTree(dir);
    }
}
