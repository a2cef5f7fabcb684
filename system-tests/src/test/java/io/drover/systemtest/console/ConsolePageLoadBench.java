package io.drover.systemtest.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sdk.DroverClient;
import io.drover.sdk.Isolation;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import io.drover.security.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The bench figure of issue 14: how long the console takes to open the page of a job of 100,000 tasks (its API
 * calls, the task stream's fetch and canvas draw, the first page of tasks), in headless chromium. Not part of the
 * suite (a minute or more of work): {@code -Ddrover.bench.console=true}. Prints one line {@code console_page_load ...}.
 */
@EnabledIfSystemProperty(named = "drover.bench.console", matches = "true")
class ConsolePageLoadBench {
    private static final int TASKS = Integer.getInteger("drover.bench.console.tasks", 100_000);

    @TempDir
    Path dir;

    @Test
    void pageOfAJobOf100kTasks() throws Exception {
        try (ConsoleCluster cluster = ConsoleCluster.start(dir, 4, 64);
             Browser browser = Browser.open(ConsoleBrowserTest.SCREENSHOTS)) {
            String operator = cluster.token(Role.OPERATOR, "olga");
            DroverClient client = cluster.client(cluster.token(Role.SUBMITTER, "alice"));
            long t0 = System.nanoTime();
            JobHandle job = client.submit(JobSpec.jvm(ConsoleBrowserTest.JOB_JAR, "io.drover.examples.NoOp").name("noop-100k")
                    .isolation(Isolation.IN_AGENT).shards(TASKS).build());
            JobStatus end = job.await(Duration.ofMinutes(15));
            double runSeconds = (System.nanoTime() - t0) / 1e9;
            assertThat(end.state()).isEqualTo(JobState.SUCCEEDED);

            browser.get(cluster.consoleUrl());
            ConsoleBrowserTest.logIn(browser, operator, "operator");
            List<Double> loads = new ArrayList<>();
            List<Double> draws = new ArrayList<>();
            Map<String, List<Double>> perCall = new java.util.TreeMap<>();
            long streamBytes = 0;
            for (int i = 0; i < 5; i++) {
                browser.get(cluster.consoleUrl() + "#/jobs");
                browser.waitFor(By.id("jobs-table"), Duration.ofSeconds(30));
                browser.script("performance.clearResourceTimings(); location.hash = '#/jobs/' + arguments[0];", job.jobId());
                Object load = browser.until(d -> browser.script("return document.getElementById('view').dataset.loadMs || null;"),
                        Duration.ofSeconds(60));
                loads.add(Double.parseDouble(load.toString()));
                @SuppressWarnings("unchecked")
                Map<String, Object> canvas = (Map<String, Object>) browser.script(
                        "return Object.assign({}, document.getElementById('stream-canvas').dataset);");
                assertThat(canvas.get("mode")).isEqualTo("buckets");
                assertThat(Integer.parseInt(canvas.get("attempts").toString())).isGreaterThanOrEqualTo(TASKS);
                draws.add(Double.parseDouble(canvas.get("drawMs").toString()));
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> calls = (List<Map<String, Object>>) browser.script("return performance.getEntriesByType("
                        + "'resource').map(r => ({name: r.name, ms: r.duration, bytes: r.encodedBodySize}));");
                for (Map<String, Object> call : calls) {
                    String name = call.get("name").toString();
                    String kind = name.contains("/stream") ? "stream" : name.contains("/tasks") ? "tasks"
                            : name.contains("/events") ? null : name.endsWith("/jobs/" + job.jobId()) ? "job" : null;
                    if (kind != null) {
                        perCall.computeIfAbsent(kind, k -> new ArrayList<>()).add(((Number) call.get("ms")).doubleValue());
                        if (kind.equals("stream")) {
                            streamBytes = ((Number) call.get("bytes")).longValue();
                        }
                    }
                }
            }
            browser.screenshot("bench-100k-job");
            System.out.printf(Locale.ROOT, "console_page_load tasks=%d job_seconds=%.1f load_ms_median=%.0f load_ms_max=%.0f"
                            + " canvas_draw_ms_median=%.1f job_get_ms_median=%.0f stream_get_ms_median=%.0f tasks_get_ms_median=%.0f"
                            + " stream_bytes=%d runs=%d%n",
                    TASKS, runSeconds, median(loads), loads.stream().mapToDouble(d -> d).max().orElse(0), median(draws),
                    median(perCall.getOrDefault("job", List.of())), median(perCall.getOrDefault("stream", List.of())),
                    median(perCall.getOrDefault("tasks", List.of())), streamBytes, loads.size());
        }
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }
}
