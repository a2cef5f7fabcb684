package io.drover.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.bench.cluster.DroverProcess;
import io.drover.bench.cluster.ProcessCluster;
import io.drover.cli.demo.Directories;
import io.drover.coordinator.EmbeddedZooKeeper;
import io.drover.coordinator.core.Fact;
import io.drover.coordinator.store.ZkCoordinatorStore;
import io.drover.sdk.AgentStatus;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The leader SIGSTOPped for 20 s (twice the 10 s after which an agent counts as LOST) while short tasks run: a frozen process still accepts TCP
 * connections, so only application-level deadlines tell agents to move on. Results must be committed
 * again via the standby soon after it takes over, no agent may be declared lost, and when the old
 * leader wakes up it steps down with nothing lost or committed twice.
 */
// Times the takeover (RESUME_BOUND) and watches agents for LOST: nothing else runs beside it.
@Isolated
class FrozenLeaderTest {
    private static final String SESSION_TIMEOUT = "3s";
    /** Session timeout + 2 s is the target; the rest is slack for a loaded 2-core machine. */
    private static final Duration RESUME_BOUND = Duration.ofSeconds(8);
    private static final Duration FREEZE = Duration.ofSeconds(20);
    private static final int TASKS = 600;

    private Path dir;
    private EmbeddedZooKeeper zk;
    private ProcessCluster cluster;
    private CuratorFramework auditor;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("drover-frozen-leader-");
        zk = new EmbeddedZooKeeper(dir.resolve("zk"), 0);
        cluster = new ProcessCluster(zk.connectString(), dir, SESSION_TIMEOUT);
        auditor = cluster.zooKeeperClient(); // the coordinators' znodes are readable by their credential alone
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
        auditor.close();
        zk.close();
        Directories.deleteTree(dir);
    }

    /** Copies the processes' logs where a failed run can be read after the temp dir is gone. */
    private void keepLogs() throws IOException {
        Path keep = Files.createDirectories(Path.of("target", "frozen-leader-logs"));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                Files.copy(f, keep.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void resultsAreCommittedAgainSoonAfterTheStandbyTakesOverAFrozenLeader() throws Exception {
        cluster.startCoordinators(2).startAgents(2, 2);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> cluster.leader().isPresent());
        DroverProcess old = cluster.leader().orElseThrow();
        DroverProcess standby = cluster.coordinators().stream().filter(c -> c != old).findFirst().orElseThrow();
        Path markers = Files.createDirectories(dir.resolve("executions"));
        String jobId;
        try (DroverClient client = DroverClient.builder().endpoints(cluster.endpoints()).credentials(cluster.credentials())
                .retryDeadline(Duration.ofSeconds(60)).build()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> client.agents().size() == 2);
            JobHandle job = client.submit(JobSpec.jvm(GridIntegrationTest.JOBS, "io.drover.examples.Sleep").name("frozen")
                    .shards(TASKS).arguments("200", markers.toString()).maxAttempts(10).build());
            jobId = job.jobId();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> job.status().succeeded() >= 8);
        }
        // Asks the standby only, with a short deadline: the figure is the grid's, not this client's wait.
        try (DroverClient viaStandby = DroverClient.builder().endpoints(cluster.endpointOf(standby)).credentials(cluster.credentials())
                .callTimeout(Duration.ofSeconds(1)).retryDeadline(Duration.ofSeconds(90)).build()) {
            long t0 = System.nanoTime();
            old.pause();
            AtomicLong base = new AtomicLong(-1);
            Set<String> notAlive = new HashSet<>();
            await().atMost(RESUME_BOUND.plusSeconds(2)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
                long done = viaStandby.job(jobId).status().succeeded();
                base.compareAndSet(-1, done);
                return done > base.get();
            });
            long resumedMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("frozen leader: stop to first new commit via the standby %d ms (session timeout %s)%n",
                    resumedMs, SESSION_TIMEOUT);
            assertThat(Duration.ofMillis(resumedMs)).as("stop to first new commit").isLessThan(RESUME_BOUND);
            // Through the rest of the freeze, the new leader must see both agents heartbeating.
            await().atMost(FREEZE.plusSeconds(10)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                for (AgentStatus a : viaStandby.agents()) {
                    if (a.state().equals("LOST")) {
                        notAlive.add(a.agentId());
                    }
                }
                return System.nanoTime() - t0 >= FREEZE.toNanos();
            });
            old.resume();
            if (!notAlive.isEmpty()) {
                keepLogs();
            }
            assertThat(notAlive).as("agents shown LOST during the freeze (logs kept in target/frozen-leader-logs)").isEmpty();
            String oldEndpoint = cluster.endpointOf(old);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    cluster.hello(oldEndpoint).map(i -> !i.isLeader()).orElse(false));
        }
        try (DroverClient client = DroverClient.builder().endpoints(cluster.endpoints()).credentials(cluster.credentials())
                .retryDeadline(Duration.ofSeconds(60)).build()) {
            assertThat(client.job(jobId).await(Duration.ofMinutes(3)).state()).isEqualTo(JobState.SUCCEEDED);
        }
        List<Fact> log = new ZkCoordinatorStore(auditor, "/drover").readLog();
        Map<Integer, List<String>> commits = new TreeMap<>();
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i) instanceof Fact.TaskCommitted c && c.jobId().equals(jobId)) {
                commits.computeIfAbsent(c.task(), t -> new ArrayList<>()).add("fact " + i + " attempt " + Long.toHexString(c.attemptId()));
            }
        }
        Map<Integer, List<String>> doubled = new TreeMap<>(commits);
        doubled.values().removeIf(l -> l.size() == 1);
        if (!doubled.isEmpty()) {
            keepLogs();
        }
        assertThat(doubled).as("tasks committed more than once (coordinator logs kept in target/frozen-leader-logs)").isEmpty();
        assertThat(commits).hasSize(TASKS);
    }
}
