package io.drover.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.bench.cluster.DroverProcess;
import io.drover.bench.cluster.ProcessCluster;
import io.drover.cli.demo.Directories;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.security.Role;
import io.drover.security.SecretsDir;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Debian's own {@code prometheus} scrapes a secure cluster (one coordinator over HTTPS with the cluster
 * CA and a viewer token, two agents over plain HTTP) every second, and its query API shows the
 * committed-task counter rise by exactly the tasks a job ran. Prometheus is installed with apt-get when
 * missing; the test is skipped only where there is no apt-get at all.
 */
public class PrometheusScrapeTest {
    private static final int TASKS = 40;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path dir;
    private TestingServer zk;
    private ProcessCluster cluster;
    private Process prometheus;

    @BeforeEach
    void start() throws Exception {
        Path binary = prometheusBinary();
        dir = Files.createTempDirectory("drover-prometheus-");
        zk = new TestingServer(true);
        long started = System.nanoTime();
        cluster = new ProcessCluster(zk.getConnectString(), dir, "3s").agentHttp().startCoordinators(1)
                .startAgents(2, 4);
        // Prometheus starts while the cluster's JVMs do: its ports are known already.
        DroverProcess coordinator = cluster.coordinators().get(0);
        Path token = Files.writeString(dir.resolve("viewer.token"), SecretsDir.load(cluster.secretsDir()).tokens()
                .create(Role.VIEWER, "prometheus", Optional.empty(), Duration.ofHours(1), 0));
        Path config = Files.writeString(dir.resolve("prometheus.yml"), scrapeConfig(
                cluster.secretsDir().resolve(SecretsDir.CA_CERTIFICATE), token, cluster.httpPortOf(coordinator),
                cluster.agents().stream().map(cluster::httpPortOf).toList()));
        int port = freePort();
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("tsdb")), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        baseUrl = "http://127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> cluster.leader().isPresent());
        System.out.printf("prometheus: cluster leads after %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    private String baseUrl;

    @AfterEach
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (cluster != null) {
            cluster.close();
        }
        if (zk != null) {
            zk.close();
        }
        if (dir != null) {
            Directories.deleteTree(dir);
        }
    }

    @Test
    void prometheusSeesTheCommittedTaskCounterRiseByTheTasksOfAJob() throws Exception {
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        // Every target up: the coordinator over HTTPS with the token, both agents over HTTP.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(query("sum(up{job=\"drover-coordinators\"})")).as(log()).contains(1.0);
            assertThat(query("sum(up{job=\"drover-agents\"})")).as(log()).contains(2.0);
            assertThat(query("sum(drover_tasks_committed_total)")).as(log()).isPresent();
        });
        double before = query("sum(drover_tasks_committed_total)").orElseThrow();
        System.out.printf("prometheus: every target up after %d ms%n", (System.nanoTime() - started) / 1_000_000);

        try (DroverClient client = DroverClient.builder().endpoints(cluster.endpoints()).credentials(cluster.credentials())
                .build()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> client.agents().size() == 2);
            JobHandle job = client.submit(JobSpec.process(List.of("/bin/sh", "-c", "echo $DROVER_SHARD_INDEX"))
                    .name("scraped").shards(TASKS).build());
            assertThat(job.await(Duration.ofSeconds(60)).state()).isEqualTo(JobState.SUCCEEDED);
        }

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(query("sum(drover_tasks_committed_total)")).as(log()).contains(before + TASKS);
            assertThat(query("sum(drover_agent_tasks_finished_total{outcome=\"succeeded\"})")).contains((double) TASKS);
        });
        System.out.printf("prometheus: counter rose by %d after %d ms%n", TASKS, (System.nanoTime() - started) / 1_000_000);
        System.out.printf("prometheus: scrape took %.1f ms (coordinator, HTTPS + token), %.1f ms (agents, max)%n",
                1000 * query("max(scrape_duration_seconds{job=\"drover-coordinators\"})").orElse(-1.0),
                1000 * query("max(scrape_duration_seconds{job=\"drover-agents\"})").orElse(-1.0));
        assertThat(query("sum(drover_leader)")).contains(1.0);
        assertThat(query("sum(drover_agent_processes_spawned_total)")).contains((double) TASKS);
        assertThat(query("count(drover_agent_containment)")).as("each agent says how it contains process tasks").contains(2.0);
        assertThat(query("drover_dispatch_latency_seconds_count")).hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(TASKS));
        assertThat(query("sum(jvm_memory_used_bytes{area=\"heap\"})")).hasValueSatisfying(n -> assertThat(n).isPositive());
    }

    /** The value of a one-element instant vector from Prometheus' query API; empty when there is none. */
    private Optional<Double> query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = json.readTree(r.body());
        assertThat(body.path("status").asText()).as(r.body()).isEqualTo("success");
        JsonNode result = body.path("data").path("result");
        return result.isEmpty() ? Optional.empty() : Optional.of(Double.parseDouble(result.get(0).path("value").get(1).asText()));
    }

    /** A scrape every second of one coordinator (HTTPS, CA file, token file) and agents (HTTP). */
    public static String scrapeConfig(Path caFile, Path tokenFile, int coordinatorPort, List<Integer> agentPorts) {
        return """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: drover-coordinators
                    scheme: https
                    tls_config:
                      ca_file: %s
                    authorization:
                      type: Bearer
                      credentials_file: %s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                  - job_name: drover-agents
                    static_configs:
                      - targets: [%s]
                """.formatted(caFile.toAbsolutePath(), tokenFile.toAbsolutePath(), coordinatorPort,
                agentPorts.stream().map(p -> "'127.0.0.1:" + p + "'").collect(Collectors.joining(", ")));
    }

    /** Prometheus' own log, for a failed assertion. */
    private String log() {
        try {
            String text = Files.readString(dir.resolve("prometheus.log"));
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no prometheus log: " + e + ")";
        }
    }

    /** Debian's prometheus, installed with apt-get when missing; the test is skipped only without apt-get. */
    public static Path prometheusBinary() throws IOException, InterruptedException {
        Path binary = Path.of("/usr/bin/prometheus");
        if (Files.isExecutable(binary)) {
            return binary;
        }
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")),
                "skipped: Prometheus is not installed and there is no apt-get to install it (apt-get install prometheus)");
        ProcessBuilder apt = new ProcessBuilder("/bin/sh", "-c", "apt-get -o DPkg::Lock::Timeout=600 update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 prometheus")
                .inheritIO();
        apt.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process install = apt.start();
        if (!install.waitFor(10, TimeUnit.MINUTES)) {
            install.destroyForcibly();
            throw new IllegalStateException("apt-get install prometheus did not finish within 10 minutes");
        }
        if (install.exitValue() != 0 || !Files.isExecutable(binary)) {
            throw new IllegalStateException("apt-get install prometheus failed (exit " + install.exitValue()
                    + "); run it by hand to see why (as root)");
        }
        return binary;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
