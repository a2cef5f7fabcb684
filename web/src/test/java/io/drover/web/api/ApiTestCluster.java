package io.drover.web.api;

import static org.awaitility.Awaitility.await;

import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.auth.AccessPolicy;
import io.drover.coordinator.auth.Permission;
import io.drover.coordinator.auth.TokenVerifier;
import io.drover.coordinator.trust.ClusterTrust;
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
import javax.net.ssl.SSLContext;
import org.apache.curator.test.TestingServer;

/**
 * A secure cluster in this process as production wires it: real ZooKeeper, the cluster CA and tokens, a leading
 * and a standby coordinator each serving the API over HTTPS with its own web server (as the coordinator process
 * will), and agents holding certificates of the cluster CA. The {@link Whoami} here is what the coordinator side
 * provides: its token verifier and role table.
 */
final class ApiTestCluster implements AutoCloseable {
    /** Small, so that the test of an oversized body stays cheap. */
    static final int MAX_BODY = 64 * 1024;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final Path dir;
    private TestingServer zk;
    private SecretsDir secrets;
    private ClusterTrust trust;
    private CoordinatorServer leader;
    private CoordinatorServer standby;
    private WebServer leaderWeb;
    private WebServer standbyWeb;
    private SSLContext clientTls;

    private ApiTestCluster(Path dir) {
        this.dir = dir;
    }

    static ApiTestCluster start(Path dir, int agents) throws Exception {
        ApiTestCluster c = new ApiTestCluster(dir);
        try {
            c.startAll(agents);
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    private void startAll(int agents) throws Exception {
        zk = new TestingServer(true);
        secrets = SecretsDir.init(dir.resolve("secrets"), "grid", Clock.systemUTC());
        trust = new ClusterTrust(secrets);
        TlsSettings serverTls = trust.serverTls(List.of("127.0.0.1"));
        leader = coordinator(serverTls);
        await().atMost(Duration.ofSeconds(20)).until(leader::isLeader);
        standby = coordinator(serverTls);
        clientTls = TlsSettings.client(secrets.ca().certificate()).sslContext();
        String endpoints = leader.endpoint() + "," + standby.endpoint();
        leaderWeb = web(leader, serverTls, endpoints);
        standbyWeb = web(standby, serverTls, standby.endpoint() + "," + leader.endpoint());
        for (int i = 1; i <= agents; i++) {
            startAgent("agent-" + i, 2);
        }
    }

    private CoordinatorServer coordinator(TlsSettings serverTls) {
        CoordinatorServer server = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString())
                .withListen("127.0.0.1", 0).withSessionTimeout(Duration.ofSeconds(3)), Clock.systemUTC());
        trust.secure(server, serverTls, trust.zooKeeperCredential(), Duration.ofHours(1), Clock.systemUTC());
        CoordinatorServer started = server.start();
        opened.add(started);
        return started;
    }

    private WebServer web(CoordinatorServer server, TlsSettings serverTls, String endpoints) throws Exception {
        Routes routes = new Routes();
        WebContext ctx = new WebContext(endpoints, Optional.of(Files.readString(secrets.caCertificateFile())),
                whoami(trust.tokenVerifier(), AccessPolicy.standard()),
                () -> new ClusterInfo(server.endpoint(), server.isLeader(), Optional.empty(), Optional.empty(),
                        List.of(), "CONNECTED"), Clock.systemUTC());
        opened.add(WebRoutes.install(routes, ctx));
        WebServerConfig config = new WebServerConfig(new InetSocketAddress("127.0.0.1", 0),
                Optional.of(serverTls.sslContext()), 8, 64, MAX_BODY, 4);
        WebServer web = WebServer.start("test", config, routes, new Json());
        opened.add(web);
        return web;
    }

    /** The coordinator side's Whoami: the token verifier and the role table. */
    static Whoami whoami(TokenVerifier verifier, AccessPolicy policy) {
        return token -> {
            if (token.isEmpty()) {
                throw new Whoami.NotAuthenticated("no token: send Authorization: Bearer TOKEN (drover token create)");
            }
            TokenClaims claims;
            try {
                claims = verifier.verify(token.get());
            } catch (TokenVerifier.Rejected e) {
                throw new Whoami.NotAuthenticated("token refused: " + e.getMessage());
            }
            if (claims.role() == Role.AGENT) {
                throw new Whoami.NotAuthenticated("a join token is for agents, not for the API");
            }
            return new Identity(claims.subject(), claims.role().label(), policy.permissions(claims.role()).stream()
                    .map(Permission::key).collect(Collectors.toSet()), true);
        };
    }

    Agent startAgent(String agentId, int slots) throws Exception {
        KeyPair key = AgentKeys.generateKeyPair();
        X509Certificate ca = secrets.ca().certificate();
        X509Certificate cert = secrets.ca().signAgent(AgentKeys.certificateRequest(key, agentId), agentId, "default",
                Duration.ofHours(1));
        TlsSettings tls = TlsSettings.clientWithKey(key.getPrivate(), List.of(cert, ca), ca);
        AgentConfig config = new AgentConfig(agentId, "127.0.0.1",
                List.of(Endpoint.parse(leader.endpoint()), Endpoint.parse(standby.endpoint())), slots, Map.of(),
                dir.resolve(agentId), Duration.ofSeconds(5), AgentConfig.DEFAULT_REPORT_BATCH_WINDOW);
        Agent agent = new Agent(config, ClientSecurity.of(tls, null));
        opened.add(agent);
        agent.start();
        if (!agent.awaitRegistered(Duration.ofSeconds(20))) {
            throw new AssertionError("agent " + agentId + " did not register within 20 s");
        }
        return agent;
    }

    String token(Role role, String subject) {
        return secrets.tokens().create(role, subject, Optional.empty(), Duration.ofHours(1), 0);
    }

    String adminToken() throws Exception {
        return Files.readString(secrets.adminTokenFile()).strip();
    }

    DroverClient sdk(String token) throws Exception {
        DroverClient client = DroverClient.builder().endpoints(leader.endpoint())
                .credentials(Credentials.caFile(secrets.caCertificateFile()).withToken(token)).build();
        opened.add(client);
        return client;
    }

    String leaderUrl() {
        return leaderWeb.baseUrl();
    }

    String standbyUrl() {
        return standbyWeb.baseUrl();
    }

    SSLContext clientTls() {
        return clientTls;
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
