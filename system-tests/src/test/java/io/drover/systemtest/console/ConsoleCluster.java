package io.drover.systemtest.console;

import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.auth.AccessPolicy;
import io.drover.coordinator.auth.Permission;
import io.drover.coordinator.auth.TokenVerifier;
import io.drover.coordinator.trust.ClusterTrust;
import io.drover.http.HttpProblem;
import io.drover.http.Json;
import io.drover.http.Routes;
import io.drover.http.WebServer;
import io.drover.http.WebServerConfig;
import io.drover.protocol.Endpoint;
import io.drover.protocol.tls.ClientSecurity;
import io.drover.protocol.tls.TlsSettings;
import io.drover.sdk.Credentials;
import io.drover.sdk.DroverClient;
import io.drover.security.AgentKeys;
import io.drover.security.Role;
import io.drover.security.SecretsDir;
import io.drover.security.TokenClaims;
import io.drover.web.ClusterInfo;
import io.drover.web.Identity;
import io.drover.web.WebContext;
import io.drover.web.WebRoutes;
import io.drover.web.Whoami;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
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
    private WebServer web;

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
        coordinator = server.start();
        opened.add(coordinator);
        if (!coordinator.awaitLeadership(Duration.ofSeconds(20))) {
            throw new AssertionError("the coordinator did not lead within 20 s");
        }
        Routes routes = new Routes();
        WebContext ctx = new WebContext(coordinator.endpoint(), Optional.of(Files.readString(secrets.caCertificateFile())),
                whoami(trust.tokenVerifier(), AccessPolicy.standard()),
                () -> new ClusterInfo(coordinator.endpoint(), coordinator.isLeader(), coordinator.isLeader() ? 1 : 0,
                        Optional.of(coordinator.endpoint()), Optional.of(List.of()), "CONNECTED", List.of()), Clock.systemUTC());
        opened.add(WebRoutes.install(routes, ctx));
        web = WebServer.start("console-test", WebServerConfig.defaults(new InetSocketAddress("127.0.0.1", 0),
                Optional.of(serverTls.sslContext())), routes, new Json());
        opened.add(web);
        for (int i = 1; i <= agents; i++) {
            startAgent("agent-" + i, slots);
        }
    }

    /** What the coordinator side gives the web routes: its token verifier and role table. */
    private static Whoami whoami(TokenVerifier verifier, AccessPolicy policy) {
        return token -> {
            if (token.isEmpty()) {
                throw HttpProblem.unauthorized("no token: send Authorization: Bearer TOKEN (drover token create)");
            }
            TokenClaims claims;
            try {
                claims = verifier.verify(token.get());
            } catch (TokenVerifier.Rejected e) {
                throw HttpProblem.unauthorized("token refused: " + e.getMessage());
            }
            if (claims.role() == Role.AGENT) {
                throw HttpProblem.unauthorized("a join token is for agents, not for the console");
            }
            return new Identity(claims.subject(), claims.role().label(), policy.permissions(claims.role()).stream()
                    .map(Permission::key).collect(Collectors.toSet()), false);
        };
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
        return web.baseUrl() + "/";
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
