package io.drover.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.http.Json;
import io.drover.http.Routes;
import io.drover.http.WebServer;
import io.drover.http.WebServerConfig;
import io.drover.web.ClusterInfo;
import io.drover.web.Identity;
import io.drover.web.WebContext;
import io.drover.web.WebRoutes;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A coordinator run with --insecure: plain HTTP, no token needed, every caller an admin; a token sent is ignored. */
class InsecureApiTest {
    private TestingServer zk;
    private CoordinatorServer coordinator;
    private WebRoutes web;
    private WebServer server;
    private Http http;

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0),
                Clock.systemUTC()).start();
        await().atMost(Duration.ofSeconds(20)).until(coordinator::isLeader);
        Routes routes = new Routes();
        web = WebRoutes.install(routes, new WebContext(coordinator.endpoint(), Optional.empty(),
                token -> new Identity("insecure", "admin", Set.of("jobs.read", "jobs.submit"), false),
                () -> new ClusterInfo(coordinator.endpoint(), coordinator.isLeader(), Optional.of(1L),
                        Optional.of(coordinator.endpoint()), List.of(), "CONNECTED"), Clock.systemUTC()));
        server = WebServer.start("test", WebServerConfig.defaults(new InetSocketAddress("127.0.0.1", 0), Optional.empty()),
                routes, new Json());
        http = new Http(SSLContext.getDefault(), server.baseUrl(), null);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {server, web, coordinator, zk}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void noTokenIsNeededAndATokenSentIsIgnored() {
        JsonNode me = http.get("/api/v1/whoami").json();
        assertThat(me.get("role").asText()).isEqualTo("admin");
        assertThat(me.get("secure").asBoolean()).isFalse();
        JsonNode cluster = http.get("/api/v1/cluster").json();
        assertThat(cluster.get("leader").asBoolean()).isTrue();
        assertThat(cluster.get("epoch").asLong()).isEqualTo(1);

        Http.Answer submitted = http.as("whatever").post("/api/v1/jobs", "{\"command\": [\"true\"], \"shards\": 3}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
        String id = submitted.json().get("id").asText();
        assertThat(submitted.json().get("owner").asText()).isEqualTo("insecure");
        JsonNode jobs = http.get("/api/v1/jobs").json();
        assertThat(jobs.get("jobs").get(0).get("pending").asInt()).as("no agents: it waits").isEqualTo(3);
        assertThat(http.post("/api/v1/jobs/" + id + "/cancel").json().get("state").asText()).isEqualTo("CANCELLED");
        assertThat(http.get("/api/v1/jobs/" + id).json().get("cancelled").asInt()).isEqualTo(3);
    }
}
