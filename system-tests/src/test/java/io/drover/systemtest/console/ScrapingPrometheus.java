package io.drover.systemtest.console;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.bench.cluster.ProcessCluster;
import io.drover.security.SecretsDir;
import io.drover.systemtest.PrometheusScrapeTest;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code prometheus} scraping a process cluster's coordinator (HTTPS, a viewer token) and its agents (HTTP)
 * every second, as {@link PrometheusScrapeTest} configures it; a fresh TSDB in {@code dir} for each start.
 */
final class ScrapingPrometheus implements AutoCloseable {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process process;
    private final String baseUrl;
    private final Path log;

    private ScrapingPrometheus(Process process, String baseUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    static ScrapingPrometheus start(ProcessCluster cluster, Path tokenFile, Path dir) throws IOException, InterruptedException {
        Path binary = PrometheusScrapeTest.prometheusBinary();
        Files.createDirectories(dir);
        Path config = Files.writeString(dir.resolve("prometheus.yml"), PrometheusScrapeTest.scrapeConfig(
                cluster.secretsDir().resolve(SecretsDir.CA_CERTIFICATE), tokenFile,
                cluster.httpPortOf(cluster.coordinators().get(0)), cluster.agents().stream().map(cluster::httpPortOf).toList()));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("tsdb")), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ScrapingPrometheus(p, "http://127.0.0.1:" + port, log);
    }

    /** Prometheus' process id, for its CPU time. */
    long pid() {
        return process.pid();
    }

    /** Waits until Prometheus is ready and has scraped {@code targets} targets successfully. */
    void awaitTargetsUp(int targets, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                        && query("count(up == 1)").orElse(0.0) == targets);
    }

    /** The value of a one-element instant vector from Prometheus' query API; empty when there is none. */
    Optional<Double> query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = json.readTree(r.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("prometheus refused " + promql + ": " + r.body());
        }
        JsonNode result = body.path("data").path("result");
        return result.isEmpty() ? Optional.empty() : Optional.of(Double.parseDouble(result.get(0).path("value").get(1).asText()));
    }

    /** The end of Prometheus' own log, for a failed assertion. */
    String logTail() {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no prometheus log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
