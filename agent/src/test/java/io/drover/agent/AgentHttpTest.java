package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.testing.AgentHarness;
import io.drover.agent.web.AgentWeb;
import io.drover.http.WebServer;
import io.drover.protocol.thrift.Outcome;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent's HTTP port: /metrics scraped over real HTTP after tasks ran, and readiness while registered. */
class AgentHttpTest {
    @TempDir
    Path workDir;
    private AgentHarness h;
    private WebServer web;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        h = AgentHarness.start(workDir, 2);
        PrometheusRegistry registry = new PrometheusRegistry();
        h.agent.registerMetrics(registry);
        web = AgentWeb.start(new InetSocketAddress("127.0.0.1", 0), registry, h.agent);
    }

    @AfterEach
    void stop() throws InterruptedException {
        web.close();
        h.close();
    }

    @Test
    void metricsCountTasksAndProcessesAndHealthSaysRegistered() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(get("/health/ready").body()).contains("registered with coordinator");
        String before = get("/metrics").body();
        assertThat(value(before, "drover_agent_tasks_started_total")).isZero();
        assertThat(value(before, "drover_agent_registered")).isEqualTo(1);
        assertThat(value(before, "drover_agent_slots")).isEqualTo(2);

        h.coordinator.addProcessJob("ok", List.of("/bin/sh", "-c", "echo fine"), 2, 0, List.of());
        h.coordinator.addProcessJob("bad", List.of("/bin/sh", "-c", "exit 3"), 1, 0, List.of());
        assertThat(h.awaitResult(h.coordinator.assign(AgentHarness.AGENT_ID, "ok", 0, null)).getOutcome())
                .isEqualTo(Outcome.SUCCEEDED);
        assertThat(h.awaitResult(h.coordinator.assign(AgentHarness.AGENT_ID, "ok", 1, null)).getOutcome())
                .isEqualTo(Outcome.SUCCEEDED);
        assertThat(h.awaitResult(h.coordinator.assign(AgentHarness.AGENT_ID, "bad", 0, null)).getOutcome())
                .isEqualTo(Outcome.FAILED);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String after = get("/metrics").body();
            assertThat(value(after, "drover_agent_tasks_started_total")).isEqualTo(3);
            assertThat(value(after, "drover_agent_tasks_finished_total{outcome=\"succeeded\"}")).isEqualTo(2);
            assertThat(value(after, "drover_agent_tasks_finished_total{outcome=\"failed\"}")).isEqualTo(1);
            assertThat(value(after, "drover_agent_processes_spawned_total")).isEqualTo(3);
            assertThat(value(after, "drover_agent_tasks_running")).isZero();
            assertThat(value(after, "drover_agent_report_round_trip_seconds_count")).isPositive();
            assertThat(value(after, "drover_agent_coordinator_silence_seconds")).isLessThan(30);
        });
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(web.baseUrl() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double value(String text, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("sample " + sample + " in\n" + text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
