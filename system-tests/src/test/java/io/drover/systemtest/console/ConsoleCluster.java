package io.drover.systemtest.console;

import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.cli.server.WebApiWiring;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.trust.ClusterTrust;
import io.drover.protocol.Endpoint;
import io.drover.protocol.tls.ClientSecurity;
import io.drover.protocol.tls.TlsSettings;
import io.drover.sdk.Credentials;
import io.drover.sdk.DroverClient;
import io.drover.security.AgentKeys;
import io.drover.security.Role;
import io.drover.security.SecretsDir;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.test.TestingServer;

/**
 * A secure cluster in this process for the console test: real ZooKeeper, the cluster CA and tokens, one coordinator
 * serving the console and API over HTTPS with its server certificate (as {@code drover coordinator} will once its
 * {@code --http-listen} wiring lands), and agents holding certificates of the cluster CA.
 */
final class ConsoleCluster implements AutoCloseable {
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final Path dir;
    private TestingServer zk;
    private SecretsDir secrets;
    private ClusterTrust trust;
    private CoordinatorServer coordinator;

    private ConsoleCluster(Path dir) {
        this.dir = dir;
    }

    static ConsoleCluster start(Path dir, int agents, int slots) throws Exception {
        ConsoleCluster c = new ConsoleCluster(dir);
        try {
            c.startAll(agents, slots);
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    private void startAll(int agents, int slots) throws Exception {
        zk = new TestingServer(true);
        secrets = SecretsDir.init(dir.resolve("secrets"), "grid", Clock.systemUTC());
        trust = new ClusterTrust(secrets);
        TlsSettings serverTls = trust.serverTls(List.of("127.0.0.1"));
        CoordinatorServer server = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString())
                .withListen("127.0.0.1", 0).withSessionTimeout(Duration.ofSeconds(5)), Clock.systemUTC());
        trust.secure(server, serverTls, trust.zooKeeperCredential(), Duration.ofHours(1), Clock.systemUTC());
        // The coordinator's own HTTPS port with the web API and console, wired as `drover coordinator` wires them.
        WebApiWiring web = new WebApiWiring(server, Clock.systemUTC());
        opened.add(web);
        server.withHttp(new InetSocketAddress("127.0.0.1", 0), web.installer());
        coordinator = server.start();
        opened.add(coordinator);
        if (!coordinator.awaitLeadership(Duration.ofSeconds(20))) {
            throw new AssertionError("the coordinator did not lead within 20 s");
        }
        for (int i = 1; i <= agents; i++) {
            startAgent("agent-" + i, slots);
        }
    }

    private void startAgent(String agentId, int slots) throws Exception {
        KeyPair key = AgentKeys.generateKeyPair();
        X509Certificate ca = secrets.ca().certificate();
        X509Certificate cert = secrets.ca().signAgent(AgentKeys.certificateRequest(key, agentId), agentId, "default",
                Duration.ofHours(1));
        TlsSettings tls = TlsSettings.clientWithKey(key.getPrivate(), List.of(cert, ca), ca);
        AgentConfig config = new AgentConfig(agentId, "127.0.0.1", List.of(Endpoint.parse(coordinator.endpoint())), slots,
                Map.of(), dir.resolve(agentId), Duration.ofSeconds(5), AgentConfig.DEFAULT_REPORT_BATCH_WINDOW);
        Agent agent = new Agent(config, ClientSecurity.of(tls, null));
        opened.add(agent);
        agent.start();
        if (!agent.awaitRegistered(Duration.ofSeconds(20))) {
            throw new AssertionError("agent " + agentId + " did not register within 20 s");
        }
    }

    String token(Role role, String subject) {
        return secrets.tokens().create(role, subject, Optional.empty(), Duration.ofHours(1), 0);
    }

    DroverClient client(String token) {
        DroverClient client = DroverClient.builder().endpoints(coordinator.endpoint())
                .credentials(Credentials.caFile(secrets.caCertificateFile()).withToken(token)).build();
        opened.add(client);
        return client;
    }

    String consoleUrl() {
        return coordinator.httpUrl().orElseThrow() + "/";
    }

    @Override
    public void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        if (zk != null) {
            zk.close();
        }
    }
}
