package io.drover.bench;

import static io.drover.bench.BenchSupport.pause;
import static io.drover.bench.BenchSupport.waitFor;
import static io.drover.cli.demo.Directories.deleteTree;

import io.drover.bench.cluster.DroverProcess;
import io.drover.bench.cluster.ProcessCluster;
import io.drover.cli.demo.JobJars;
import io.drover.coordinator.EmbeddedZooKeeper;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.sdk.AgentStatus;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover bench-freeze}: what a frozen or replaced leader costs the grid, on real processes.
 * <ul>
 *   <li>freeze: the leader is SIGSTOPped for N seconds while 8 slots run 200 ms tasks; prints the
 *       time from the stop to a new leader answering and to the first result that leader commits,
 *       and how many agents any coordinator showed SUSPECT or LOST meanwhile;</li>
 *   <li>takeovers: the leader is killed (-9) while tasks run on live agents, K times; every
 *       execution leaves a marker file, so executions beyond the shard count are tasks started
 *       again although no agent died.</li>
 * </ul>
 * Figures, not assertions.
 */
@Command(name = "bench-freeze", mixinStandardHelpOptions = true,
        description = "Frozen-leader recovery times and duplicate task starts after takeovers, with real processes.")
public final class FreezeBenchCommand implements Callable<Integer> {
    @Option(names = "--freeze", split = ",", defaultValue = "9,40", paramLabel = "SECONDS",
            description = "Freeze lengths in seconds, comma separated. Default: ${DEFAULT-VALUE}")
    List<Integer> freezes;

    @Option(names = "--takeovers", defaultValue = "10", description = "Leader kills for the duplicate-start count (0 skips). Default: ${DEFAULT-VALUE}")
    int takeovers;

    @Option(names = "--session-timeout", defaultValue = "3s", description = "ZooKeeper session timeout of the coordinators. Default: ${DEFAULT-VALUE}")
    String sessionTimeout;

    @Option(names = "--insecure", description = "Plaintext processes, no tokens or certificates: the baseline for the TLS figures.")
    boolean insecure;

    private static final int TASK_MS = 200;
    private static final int SLOTS = 8;

    private Path dir;

    @Override
    public Integer call() throws Exception {
        dir = Files.createTempDirectory("drover-bench-freeze-");
        try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir.resolve("zk"), 0);
             ProcessCluster cluster = BenchSupport.processCluster(zk.connectString(), dir, sessionTimeout, insecure)
                     .startCoordinators(2).startAgents(2, SLOTS / 2)) {
            waitFor(Duration.ofSeconds(60), () -> cluster.leader().isPresent());
            try (DroverClient client = client(cluster, cluster.endpoints())) {
                waitFor(Duration.ofSeconds(60), () -> client.agents().size() == 2);
                String sha = client.uploadArtifact(JobJars.examples());
                for (int seconds : freezes) {
                    freeze(client, sha, cluster, seconds);
                }
                List<Integer> duplicates = new ArrayList<>();
                for (int i = 0; i < takeovers; i++) {
                    duplicates.add(takeover(client, sha, cluster));
                }
                if (takeovers > 0) {
                    System.out.printf(Locale.ROOT, "takeovers runs=%d duplicate_starts=%s total=%d%n", takeovers, duplicates,
                            duplicates.stream().mapToInt(Integer::intValue).sum());
                }
            }
        } finally {
            deleteTree(dir);
        }
        return 0;
    }

    private void freeze(DroverClient client, String sha, ProcessCluster cluster, int seconds) throws IOException {
        Path markers = Files.createDirectories(dir.resolve("freeze-" + seconds));
        // Enough work to keep every slot busy through the freeze and 30 s beyond it.
        int shards = (seconds + 30) * 1000 / TASK_MS * SLOTS;
        JobHandle job = client.submit(sleepJob(sha, shards, markers).name("freeze-bench").build());
        waitFor(Duration.ofSeconds(60), () -> job.status().succeeded() >= 2 * SLOTS);
        DroverProcess leader = cluster.leader().orElseThrow();
        DroverProcess standby = cluster.coordinators().stream().filter(c -> c != leader).findFirst().orElseThrow();
        long t0 = System.currentTimeMillis();
        leader.pause();
        long newLeader = -1;
        long firstCommit = -1;
        Set<String> troubled = new HashSet<>();
        try (DroverClient viaStandby = client(cluster, cluster.endpointOf(standby))) {
            long base = -1;
            long deadline = t0 + (seconds + 60) * 1000L;
            while (System.currentTimeMillis() < deadline && firstCommit < 0) {
                long now = System.currentTimeMillis() - t0;
                if (newLeader < 0) {
                    Optional<ServerInfo> info = cluster.hello(cluster.endpointOf(standby));
                    if (info.isPresent() && info.get().isLeader()) {
                        newLeader = now;
                    }
                } else {
                    try {
                        long done = viaStandby.job(job.jobId()).status().succeeded();
                        if (base < 0) {
                            base = done;
                        } else if (done > base) {
                            firstCommit = now;
                        }
                        for (AgentStatus a : viaStandby.agents()) {
                            if (!a.state().equals("ALIVE")) {
                                troubled.add(a.agentId() + "=" + a.state());
                            }
                        }
                    } catch (RuntimeException e) {
                        // the new leader is still recovering: ask again
                    }
                }
                if (now >= seconds * 1000L && leader.isAlive()) {
                    leader.resume(); // the freeze ends even if the grid has not recovered
                }
                pause(20);
            }
        } finally {
            leader.resume();
        }
        System.out.printf(Locale.ROOT, "freeze seconds=%d stop_to_new_leader_ms=%d stop_to_first_new_commit_ms=%d agents_not_alive=%s session_timeout=%s%n",
                seconds, newLeader, firstCommit, troubled.isEmpty() ? "none" : String.join(",", troubled), sessionTimeout);
        job.cancel();
        waitFor(Duration.ofSeconds(90), () -> client.agents().stream().allMatch(a -> a.state().equals("ALIVE") && a.running() == 0));
    }

    /** One leader kill while tasks run on live agents; returns the executions beyond one per shard. */
    private int takeover(DroverClient client, String sha, ProcessCluster cluster) throws IOException {
        Path markers = Files.createDirectories(dir.resolve("takeover-" + System.nanoTime()));
        int shards = 40 * SLOTS;
        JobHandle job = client.submit(sleepJob(sha, shards, markers).name("takeover-bench").build());
        waitFor(Duration.ofSeconds(60), () -> job.status().succeeded() >= shards / 4);
        DroverProcess leader = cluster.leader().orElseThrow();
        leader.kill();
        JobStatus end = job.await(Duration.ofMinutes(3));
        leader.start();
        waitFor(Duration.ofSeconds(60), () -> cluster.coordinators().stream().allMatch(c -> cluster.hello(cluster.endpointOf(c)).isPresent()));
        long executions = count(markers);
        if (!end.state().name().equals("SUCCEEDED")) {
            System.out.printf(Locale.ROOT, "takeover job ended %s%n", end.state());
        }
        return (int) (executions - shards);
    }

    private static DroverClient client(ProcessCluster cluster, String endpoints) {
        // Short call deadline: a frozen coordinator still accepts connections, and the figures must not
        // include this client's own wait on it.
        return DroverClient.builder().endpoints(endpoints).credentials(cluster.credentials()).callTimeout(Duration.ofSeconds(1))
                .retryDeadline(Duration.ofSeconds(90)).build();
    }

    private static JobSpec.Builder sleepJob(String sha, int shards, Path markers) {
        return JobSpec.jvmArtifact(sha, "io.drover.examples.Sleep").shards(shards).maxAttempts(10)
                .arguments(Integer.toString(TASK_MS), markers.toString());
    }

    private static long count(Path markers) {
        try (Stream<Path> files = Files.list(markers)) {
            return files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
