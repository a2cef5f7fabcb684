package io.drover.systemtest.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.bench.cluster.ProcessCluster;
import io.drover.sdk.DroverClient;
import io.drover.sdk.Isolation;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import io.drover.security.Role;
import io.drover.security.SecretsDir;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The observer-cost figure of issue 14: no-op throughput (in-agent JVM tasks, as {@code drover bench --in-agent})
 * on real processes (ZooKeeper, one secure coordinator, 4 agents x 64 slots) with nobody watching (round A) against
 * five headless chromium consoles on the running job's page, live over server-sent events, and Debian's Prometheus
 * scraping the coordinator and the 4 agents every second (round B). Rounds alternate on the same cluster.
 *
 * <p>Each round submits its job while the agents are drained, so the five pages (round B) are open on the job
 * before any task runs; the clock starts when the agents are undrained and stops when the job is complete. Not part
 * of the suite (minutes of work): {@code -Ddrover.bench.observers=true}; {@code -Ddrover.bench.observers.tasks=N}
 * (default 100,000), {@code -Ddrover.bench.observers.rounds=R} (pairs, default 3) and
 * {@code -Ddrover.bench.observers.sessions=S} (browsers in round B, default 5; 0 for Prometheus alone). Prints one
 * {@code observer_cost round=...} line per round and a last {@code observer_cost_summary ...} line. Asserts the
 * observers observed (each page got live updates up to 100%, Prometheus has samples from all 5 targets), not speed.
 */
@EnabledIfSystemProperty(named = "drover.bench.observers", matches = "true")
class ObserverCostBench {
    private static final int TASKS = Integer.getInteger("drover.bench.observers.tasks", 100_000);
    private static final int ROUNDS = Integer.getInteger("drover.bench.observers.rounds", 3);
    private static final int WARMUP = 2_000;
    private static final int AGENTS = 4;
    private static final int SLOTS = 64;
    private static final int SESSIONS = Integer.getInteger("drover.bench.observers.sessions", 5);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void throughputWithFiveConsolesAndPrometheusAgainstWithout() throws Exception {
        try (TestingServer zk = new TestingServer(true);
             ProcessCluster cluster = new ProcessCluster(zk.getConnectString(), dir, "6s").agentHttp()) {
            cluster.startCoordinators(1).startAgents(AGENTS, SLOTS);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> cluster.leader().isPresent());
            String viewer = SecretsDir.load(cluster.secretsDir()).tokens().create(Role.VIEWER, "observer", Optional.empty(),
                    Duration.ofHours(6), 0);
            Path viewerFile = Files.writeString(dir.resolve("viewer.token"), viewer);
            String consoleUrl = cluster.httpUrlOf(cluster.coordinators().get(0)) + "/";
            try (DroverClient client = DroverClient.builder().endpoints(cluster.endpoints())
                    .credentials(cluster.credentials()).build()) {
                await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> client.agents().size() == AGENTS);
                String sha = client.uploadArtifact(ConsoleBrowserTest.JOB_JAR);
                JobStatus warm = client.submit(job(sha, WARMUP, "observers-warmup")).await(Duration.ofMinutes(5));
                assertThat(warm.state()).isEqualTo(JobState.SUCCEEDED);

                List<Double> a = new ArrayList<>();
                List<Double> b = new ArrayList<>();
                for (int round = 1; round <= ROUNDS; round++) {
                    a.add(round(cluster, client, sha, round, Optional.empty()));
                    b.add(round(cluster, client, sha, round, Optional.of(new Observers(consoleUrl, viewer, viewerFile))));
                }
                double medianA = median(a);
                double medianB = median(b);
                System.out.printf(Locale.ROOT, "observer_cost_summary tasks=%d rounds=%d sessions=%d median_a_tasks_per_s=%.0f"
                                + " median_b_tasks_per_s=%.0f ratio_b_a=%.3f load_average=%.2f%n", TASKS, ROUNDS, SESSIONS, medianA,
                        medianB, medianB / medianA, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
    }

    /** What round B's observers open: the console, with the viewer token (Prometheus reads it from the file). */
    private record Observers(String consoleUrl, String viewer, Path viewerFile) {
    }

    /** One timed job of {@link #TASKS}; with observers, opens them before the clock starts. Returns tasks/s. */
    private double round(ProcessCluster cluster, DroverClient client, String sha, int round, Optional<Observers> observers)
            throws Exception {
        String name = "observers-" + (observers.isPresent() ? "b" : "a") + round;
        drainAll(client, true);
        JobHandle job = client.submit(job(sha, TASKS, name));
        ScrapingPrometheus prometheus = null;
        List<JobPageWatcher> pages = new ArrayList<>();
        try {
            if (observers.isPresent()) {
                Observers o = observers.get();
                prometheus = ScrapingPrometheus.start(cluster, o.viewerFile(), dir.resolve("prometheus-" + round));
                for (int i = 0; i < SESSIONS; i++) {
                    pages.add(JobPageWatcher.open(ConsoleBrowserTest.SCREENSHOTS, o.consoleUrl(), o.viewer(), "viewer",
                            job.jobId()));
                }
                prometheus.awaitTargetsUp(1 + AGENTS, WAIT);
            }
            long prometheusPid = prometheus == null ? -1 : prometheus.pid();
            CpuSample.ObserverCpu seen0 = CpuSample.observers(prometheusPid);
            CpuSample cpu0 = CpuSample.read(cluster.coordinators().get(0), cluster.agents());
            long t0 = System.nanoTime();
            drainAll(client, false);
            JobStatus end = job.await(Duration.ofMinutes(30));
            double seconds = (System.nanoTime() - t0) / 1e9;
            CpuSample cpu = CpuSample.read(cluster.coordinators().get(0), cluster.agents()).since(cpu0);
            CpuSample.ObserverCpu watchers = CpuSample.observers(prometheusPid).since(seen0);
            assertThat(end.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(end.succeeded()).isEqualTo(TASKS);
            double rate = TASKS / seconds;
            String seen = prometheus == null ? "observers=none" : observed(prometheus, pages, round, seconds);
            System.out.printf(Locale.ROOT, "observer_cost round=%d%s tasks=%d seconds=%.2f tasks_per_s=%.0f"
                            + " cpu_s_coordinator=%.1f cpu_s_agents=%.1f cpu_s_others=%.1f (prometheus=%.2f chromium=%.2f"
                            + " bench_jvm=%.2f) %s%n", round, observers.isPresent() ? "B" : "A", TASKS, seconds, rate,
                    cpu.coordinator(), cpu.agents(), cpu.others(), watchers.prometheus(), watchers.chromium(), watchers.benchJvm(), seen);
            return rate;
        } finally {
            pages.forEach(JobPageWatcher::close);
            if (prometheus != null) {
                prometheus.close();
            }
        }
    }

    /** Asserts the observers really observed the round; returns what they saw, for the round's line. */
    private String observed(ScrapingPrometheus prometheus, List<JobPageWatcher> pages, int round, double seconds)
            throws Exception {
        int minRenders = pages.isEmpty() ? 0 : Integer.MAX_VALUE;
        for (JobPageWatcher page : pages) {
            page.awaitProgress(100.0);
            JobPageWatcher.Seen seen = page.seen();
            assertThat(seen.renders()).as("live redraws of a job page").isGreaterThanOrEqualTo(2);
            assertThat(seen.polled()).as("a page fell back to polling: " + seen.badges()).isFalse();
            minRenders = Math.min(minRenders, seen.renders());
        }
        if (!pages.isEmpty()) {
            pages.get(0).screenshot("observers-round-" + round);
        }
        assertThat(prometheus.query("count(max_over_time(up[1h]) == 1)")).as(prometheus.logTail()).contains(1.0 + AGENTS);
        assertThat(prometheus.query("count(count_over_time(drover_tasks_committed_total[1h]))")).contains(1.0);
        // Scrapes of all 5 targets within the timed run (the window ends a moment after it: the pages' last update).
        double scrapes = prometheus.query("sum(count_over_time(up[" + (long) Math.ceil(seconds) + "s]))").orElse(0.0);
        return String.format(Locale.ROOT, "observers=%d-consoles+prometheus page_updates_min=%d scrapes_in_run=%.0f",
                pages.size(), minRenders, scrapes);
    }

    private static void drainAll(DroverClient client, boolean drain) {
        for (int i = 1; i <= AGENTS; i++) {
            client.drain("agent-" + i, drain);
        }
    }

    private static JobSpec job(String sha, int tasks, String name) {
        return JobSpec.jvmArtifact(sha, "io.drover.examples.NoOp").name(name).isolation(Isolation.IN_AGENT).shards(tasks)
                .build();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
