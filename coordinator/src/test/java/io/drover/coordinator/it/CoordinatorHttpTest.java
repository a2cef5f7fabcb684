package io.drover.coordinator.it;

import static io.drover.coordinator.it.CoordinatorClusterTest.poll;
import static io.drover.coordinator.it.CoordinatorClusterTest.result;
import static io.drover.coordinator.it.CoordinatorClusterTest.submission;
import static io.drover.coordinator.it.CoordinatorClusterTest.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.web.ClusterInfo;
import io.drover.http.Response;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.Endpoint;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.TaskResult;
import io.drover.protocol.thrift.droverConstants;
import io.drover.testkit.tls.TestPki;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real coordinator's HTTP port: health, /metrics scraped over real HTTP(S) after a job, tokens on /metrics. */
class CoordinatorHttpTest {
    private TestingServer zk;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void startZooKeeper() throws Exception {
        zk = new TestingServer(true);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        zk.close();
    }

    private CoordinatorServer coordinator(java.util.function.UnaryOperator<CoordinatorServer> setup) {
        CoordinatorConfig config = CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0)
                .withSessionTimeout(Duration.ofSeconds(3));
        CoordinatorServer s = setup.apply(new CoordinatorServer(config, Clock.systemUTC())
                .withHttp(new InetSocketAddress("127.0.0.1", 0), routes -> routes.get("/extra", r -> Response.text(200, "hook"))))
                .start();
        closeables.add(s);
        return s;
    }

    @Test
    void metricsMoveWithAJobAndHealthSaysWhoLeads() throws Exception {
        CoordinatorServer leader = coordinator(s -> s);
        await().atMost(Duration.ofSeconds(20)).until(leader::isLeader);
        CoordinatorServer standby = coordinator(s -> s);
        HttpClient http = HttpClient.newHttpClient();

        assertThat(get(http, leader.httpUrl().orElseThrow() + "/health/live", null).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get(http, leader.httpUrl().orElseThrow() + "/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("leader of epoch");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                get(http, standby.httpUrl().orElseThrow() + "/health/ready", null).body())
                .contains("standby; the leader is " + leader.endpoint()));
        assertThat(get(http, leader.httpUrl().orElseThrow() + "/extra", null).body()).isEqualTo("hook");
        ClusterInfo info = leader.clusterInfo();
        assertThat(info.leader()).isTrue();
        assertThat(info.standbys()).contains(List.of(standby.endpoint()));
        assertThat(info.zooKeeperState()).isIn("CONNECTED", "RECONNECTED");
        assertThat(info.recentLeadershipChanges()).hasSize(1);

        runJobOfThreeTasks(leader);

        String metrics = get(http, leader.httpUrl().orElseThrow() + "/metrics", null).body();
        assertThat(value(metrics, "drover_tasks_committed_total")).isEqualTo(3);
        assertThat(value(metrics, "drover_jobs_submitted_total")).isEqualTo(1);
        assertThat(value(metrics, "drover_jobs_ended_total")).isEqualTo(1);
        assertThat(value(metrics, "drover_dispatch_latency_seconds_count")).isEqualTo(3);
        assertThat(value(metrics, "drover_zookeeper_group_commit_seconds_count")).isPositive();
        assertThat(value(metrics, "drover_leader")).isEqualTo(1);
        assertThat(value(metrics, "drover_leadership_gained_total")).isEqualTo(1);
        assertThat(value(metrics, "drover_zookeeper_connected")).isEqualTo(1);
        assertThat(value(metrics, "drover_agents{pool=\"\",state=\"ALIVE\"}")).isEqualTo(1);
        assertThat(value(metrics, "drover_tasks_running")).isZero();
        assertThat(metrics).contains("drover_leader_epoch ");
        String standbyMetrics = get(http, standby.httpUrl().orElseThrow() + "/metrics", null).body();
        assertThat(value(standbyMetrics, "drover_leader")).isZero();
        assertThat(standbyMetrics).doesNotContain("drover_tasks_running ").doesNotContain("drover_leader_epoch ");
    }

    @Test
    void secureMetricsNeedAViewerTokenOverHttps() throws Exception {
        TestPki pki = TestPki.create("drover cluster CA");
        CoordinatorServer c = coordinator(s -> s.withTls(pki.serverSettings()).requireTokens(new TestTokens()));
        await().atMost(Duration.ofSeconds(20)).until(c::isLeader);
        assertThat(c.httpUrl().orElseThrow()).startsWith("https://");
        HttpClient http = HttpClient.newBuilder().sslContext(trusting(pki)).build();
        String url = c.httpUrl().orElseThrow();

        assertThat(get(http, url + "/health/ready", null).statusCode()).isEqualTo(200);
        HttpResponse<String> none = get(http, url + "/metrics", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("needs a token");
        assertThat(get(http, url + "/metrics", "malformed").statusCode()).isEqualTo(401);
        HttpResponse<String> agent = get(http, url + "/metrics", "agent:edge-1");
        assertThat(agent.statusCode()).isEqualTo(403);
        assertThat(agent.body()).contains("viewer role or better");
        HttpResponse<String> viewer = get(http, url + "/metrics", "viewer:vera");
        assertThat(viewer.statusCode()).isEqualTo(200);
        assertThat(viewer.body()).contains("drover_tasks_committed_total 0.0");
        assertThat(c.whoami().identify(java.util.Optional.of("operator:olga")).may("agents.manage")).isTrue();
        assertThat(c.whoami().identify(java.util.Optional.of("viewer:vera")).may("agents.manage")).isFalse();
    }

    private void runJobOfThreeTasks(CoordinatorServer leader) throws Exception {
        CoordinatorConnection<ClientService.Client> client = connect(CoordinatorService.CLIENT, leader);
        CoordinatorConnection<AgentService.Client> agent = connect(CoordinatorService.AGENT, leader);
        String sha = upload(client, "jar bytes".getBytes());
        String jobId = client.call(c -> c.submit(submission(sha, 3, "key-1"))).getJobId();
        agent.call(c -> {
            c.registerAgent(new AgentRegistration("ag1", "localhost", 3, Map.of(), droverConstants.PROTOCOL_VERSION, "test"));
            return null;
        });
        HeartbeatReply work = agent.call(c -> c.heartbeat(poll("ag1", List.of())));
        assertThat(work.getAssignments()).hasSize(3);
        List<TaskResult> results = work.getAssignments().stream().map(CoordinatorClusterTest::result).toList();
        agent.call(c -> c.heartbeat(poll("ag1", results)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(client.call(c -> c.getJob(jobId, false, false)).getSucceeded()).isEqualTo(3));
    }

    private <C extends org.apache.thrift.TServiceClient> CoordinatorConnection<C> connect(CoordinatorService<C> service,
                                                                                        CoordinatorServer s) {
        CoordinatorConnection<C> c = new CoordinatorConnection<>(service, List.of(Endpoint.parse(s.endpoint())), "test",
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(20));
        closeables.add(c);
        return c;
    }

    private static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one sample line ({@code name{labels} value}) in Prometheus' text format. */
    static double value(String text, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("sample " + sample + " in\n" + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static SSLContext trusting(TestPki pki) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", pki.ca());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
