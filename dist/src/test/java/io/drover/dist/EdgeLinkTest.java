package io.drover.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.coordinator.core.Fact;
import io.drover.coordinator.store.ZkCoordinatorStore;
import io.drover.dist.cluster.DroverProcess;
import io.drover.dist.cluster.ProcessCluster;
import io.drover.sdk.AgentStatus;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Edge agents behind a real link: an agent in its own network namespace, joined by a veth pair
 * that the test cuts, restores and degrades with netem. "Offline for hours" is compressed into
 * seconds through the pool policy. Exactly-once is audited from the ZooKeeper fact log.
 */
class EdgeLinkTest {
    private Path dir;
    private TestingServer zk;
    private ProcessCluster cluster;
    private NetNs edge;
    private CuratorFramework auditor;
    private final long t0 = System.currentTimeMillis();
    private AutoCloseable closeLater;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(NetNs.available(), "needs root and iproute2 to create network namespaces");
        dir = Files.createTempDirectory("drover-edge-");
        zk = new TestingServer(true);
        auditor = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(200));
        auditor.start();
        edge = NetNs.create("dre");
    }

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (closeLater != null) {
            closeLater.close();
        }
        if (edge != null) {
            edge.close();
        }
        if (auditor != null) {
            auditor.close();
        }
        if (zk != null) {
            zk.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private DroverProcess startEdgeAgent(int slots) {
        return cluster.startAgent("edge-1", edge.exec(), cluster.endpointsAt(edge.rootAddress), slots,
                "--label", "pool=edge", "--poll-wait", "2s");
    }

    private void say(String what) {
        System.out.printf("edge timeline +%5.1f s: %s%n", (System.currentTimeMillis() - t0) / 1e3, what);
    }

    @Test
    void withAWaitPolicyTheCutOffAgentsResultsArriveLaterAndNothingRunsTwice() throws Exception {
        cluster = new ProcessCluster(zk.getConnectString(), dir, "3s").listenOn("0.0.0.0")
                .startCoordinators(1, "--pool-policy", "edge=60s/60s", "--suspect-after", "2s");
        startEdgeAgent(2);
        cluster.startAgent("dc-1", List.of(), cluster.endpoints(), 2);
        Path markers = Files.createDirectories(dir.resolve("runs"));
        try (DroverClient client = DroverClient.builder().endpoints(cluster.endpoints()).retryDeadline(Duration.ofSeconds(60)).build()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> client.agents().size() == 2);
            JobHandle job = client.submit(JobSpec.jvm(GridIntegrationTest.JOBS, "io.drover.examples.Sleep")
                    .name("edge-wait").shards(2).arguments("6000", markers.toString())
                    .requiredLabels(Map.of("pool", "edge")).build());
            await().atMost(Duration.ofSeconds(60)).until(() -> job.status().running() == 2);
            edge.cut();
            say("link cut while 2 tasks run on edge-1");
            await().atMost(Duration.ofSeconds(30)).until(() -> state(client, "edge-1").equals("SUSPECT"));
            say("coordinator marks edge-1 SUSPECT (no new work); policy says wait 60 s before re-running");
            await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(15)).until(() ->
                    job.status().running() == 2 && countRuns(markers) == 2);
            edge.restore();
            say("link restored after more than 4 heartbeat intervals");
            JobStatus end = job.await(Duration.ofSeconds(60));
            say("job " + end.state() + "; executions " + countRuns(markers));
            assertThat(end.state()).isEqualTo(JobState.SUCCEEDED);
        }
        assertThat(countRuns(markers)).as("nothing re-ran").isEqualTo(2);
        assertThat(commits()).isEqualTo(2);
    }

    @Test
    void withAShortPolicyTheWorkReRunsElsewhereAndLateResultsAreDroppedNotCommittedTwice() throws Exception {
        cluster = new ProcessCluster(zk.getConnectString(), dir, "3s").listenOn("0.0.0.0")
                .startCoordinators(1, "--suspect-after", "2s", "--lost-after", "4s", "--disconnect-grace", "2s");
        startEdgeAgent(2);
        Path markers = Files.createDirectories(dir.resolve("runs"));
        try (DroverClient client = DroverClient.builder().endpoints(cluster.endpoints()).retryDeadline(Duration.ofSeconds(60)).build()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> client.agents().size() == 1);
            JobHandle job = client.submit(JobSpec.jvm(GridIntegrationTest.JOBS, "io.drover.examples.Sleep")
                    .name("edge-short").shards(2).arguments("4000", markers.toString()).build());
            await().atMost(Duration.ofSeconds(60)).until(() -> job.status().running() == 2);
            cluster.startAgent("dc-1", List.of(), cluster.endpoints(), 2);
            await().atMost(Duration.ofSeconds(60)).until(() -> client.agents().size() == 2);
            edge.cut();
            say("link cut while 2 tasks run on edge-1");
            JobStatus end = awaitOrShowLog(job);
            say("job " + end.state() + " on dc-1 while edge-1 is still cut off; executions " + countRuns(markers));
            assertThat(end.state()).isEqualTo(JobState.SUCCEEDED);
            edge.restore();
            say("link restored; edge-1 delivers its late results");
            Path log = cluster.coordinators().get(0).log();
            // Summed: the two results may travel in one report or two (they finish at different moments).
            await().atMost(Duration.ofSeconds(60)).until(() -> lateResultsDelivered(Files.readString(log), "edge-1") == 2);
            say("coordinator acknowledged and dropped both late results");
        }
        assertThat(countRuns(markers)).as("each task ran on edge-1 and again on dc-1").isEqualTo(4);
        assertThat(commits()).as("but committed once").isEqualTo(2);
    }

    @Test
    void aSlowLossyLinkCompletesTheJobWithoutTheAgentFlapping() throws Exception {
        cluster = new ProcessCluster(zk.getConnectString(), dir, "3s").listenOn("0.0.0.0")
                .startCoordinators(1, "--pool-policy", "edge=30s/30s");
        // This kernel has no netem qdisc, so a relay on the edge link adds 200 ms each way and
        // holds back 10% of segments a retransmission timeout.
        int port = Integer.parseInt(cluster.endpoints().substring(cluster.endpoints().lastIndexOf(':') + 1));
        LaggyProxy proxy = new LaggyProxy(edge.rootAddress, new java.net.InetSocketAddress("127.0.0.1", port), 200, 0.10);
        closeLater = proxy;
        cluster.startAgent("edge-1", edge.exec(), proxy.endpoint(), 4, "--label", "pool=edge", "--poll-wait", "2s");
        Path markers = Files.createDirectories(dir.resolve("runs"));
        try (DroverClient client = DroverClient.builder().endpoints(cluster.endpoints()).retryDeadline(Duration.ofSeconds(90)).build()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> client.agents().size() == 1);
            JobHandle job = client.submit(JobSpec.jvm(GridIntegrationTest.JOBS, "io.drover.examples.Sleep")
                    .name("edge-lossy").shards(24).arguments("300", markers.toString())
                    .requiredLabels(Map.of("pool", "edge")).build());
            assertThat(job.await(Duration.ofMinutes(3)).state()).isEqualTo(JobState.SUCCEEDED);
        }
        String log = Files.readString(cluster.coordinators().get(0).log());
        assertThat(log).doesNotContain("agent edge-1 LOST");
        assertThat(countRuns(markers)).isEqualTo(24);
        assertThat(commits()).isEqualTo(24);
    }

    /** Results for already committed tasks the agent delivered, as the coordinator's log counts them. */
    private static int lateResultsDelivered(String coordinatorLog, String agentId) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("agent " + agentId
                + " delivered (\\d+) results for tasks already committed").matcher(coordinatorLog);
        int total = 0;
        while (m.find()) {
            total += Integer.parseInt(m.group(1));
        }
        return total;
    }

    /** Waits for the job; on a timeout the coordinator's log goes to the test output. */
    private JobStatus awaitOrShowLog(JobHandle job) throws java.io.IOException {
        try {
            return job.await(Duration.ofSeconds(120));
        } catch (RuntimeException e) {
            System.out.println("coordinator log:\n" + Files.readString(cluster.coordinators().get(0).log()));
            throw e;
        }
    }

    private static String state(DroverClient client, String agent) {
        return client.agents().stream().filter(a -> a.agentId().equals(agent)).map(AgentStatus::state).findFirst().orElse("?");
    }

    private static long countRuns(Path markers) throws Exception {
        try (Stream<Path> files = Files.list(markers)) {
            return files.count();
        }
    }

    private long commits() {
        List<Fact> log = new ZkCoordinatorStore(auditor, "/drover").readLog();
        long commits = log.stream().filter(f -> f instanceof Fact.TaskCommitted).count();
        long distinct = log.stream().filter(f -> f instanceof Fact.TaskCommitted).map(f -> ((Fact.TaskCommitted) f).jobId()
                + "/" + ((Fact.TaskCommitted) f).task()).distinct().count();
        assertThat(distinct).as("no task committed twice").isEqualTo(commits);
        return commits;
    }
}
