package io.drover.bench.million;

import static io.drover.bench.BenchSupport.pause;
import static io.drover.bench.BenchSupport.waitFor;
import static io.drover.cli.demo.Directories.deleteTree;

import io.drover.bench.BenchSupport;
import io.drover.bench.cluster.DroverProcess;
import io.drover.bench.cluster.ProcessCluster;
import io.drover.cli.demo.JobJars;
import io.drover.coordinator.EmbeddedZooKeeper;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.sdk.DroverClient;
import io.drover.sdk.Isolation;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover bench-million}: one job of a million no-op shards plus a reduce on real processes
 * (embedded ZooKeeper, two coordinators, a few agents running the shards in their own JVM), with
 * the leader killed ({@code kill -9}) half way. Prints the time from submit to the end, the
 * leader's heap after a full GC (sampled through the run), what Drover keeps in ZooKeeper, and the
 * failover: kill to a new leader serving, and kill to the first result committed after it.
 */
@Command(name = "bench-million", mixinStandardHelpOptions = true,
        description = {"One job of 1,000,000 no-op shards + reduce on real processes, with a leader kill -9 half way.",
                "Last line: shards=N seconds=S tasks_per_s=R max_leader_heap_mb=H zk_data_mb=Z kill_to_first_commit_ms=F"})
public final class MillionBenchCommand implements Callable<Integer> {
    @Option(names = "--shards", defaultValue = "1000000", description = "Shards of the job. Default: ${DEFAULT-VALUE}")
    int shards;

    @Option(names = "--agents", defaultValue = "3", description = "Agents. Default: ${DEFAULT-VALUE}")
    int agents;

    @Option(names = "--slots", defaultValue = "64", description = "Slots per agent. Default: ${DEFAULT-VALUE}")
    int slots;

    @Option(names = "--kill-at", defaultValue = "0.5", description = "Kill the leader when this fraction of shards "
            + "succeeded (0: no kill). Default: ${DEFAULT-VALUE}")
    double killAt;

    @Option(names = "--session-timeout", defaultValue = "3s", description = "ZooKeeper session timeout of the coordinators. Default: ${DEFAULT-VALUE}")
    String sessionTimeout;

    @Option(names = "--coordinator-heap", defaultValue = "1g", description = "-Xmx of the coordinators: the bound the "
            + "leader must live within. Default: ${DEFAULT-VALUE}")
    String coordinatorHeap;

    @Option(names = "--sample-every", defaultValue = "10s", description = "How often the leader's heap (after a full GC) and "
            + "ZooKeeper are measured. Default: ${DEFAULT-VALUE}")
    String sampleEvery;

    @Option(names = "--insecure", description = "Plaintext processes, no tokens or certificates.")
    boolean insecure;

    @Option(names = "--coordinator-arg", paramLabel = "ARG", description = "An extra flag for the coordinators (repeatable), "
            + "e.g. --coordinator-arg=--step-down-after=60s on a machine too loaded for the serving watchdog's 10 s.")
    java.util.List<String> coordinatorArgs = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (shards < 1 || shards > JobSpec.MAX_SHARDS || agents < 1 || slots < 1 || killAt < 0 || killAt >= 1) {
            System.err.println("bench-million: --shards 1.." + JobSpec.MAX_SHARDS + ", --agents and --slots >= 1, --kill-at 0..<1");
            return 2;
        }
        Path dir = Files.createTempDirectory("drover-bench-million-");
        try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir.resolve("zk"), 0);
             ProcessCluster cluster = BenchSupport.processCluster(zk.connectString(), dir, sessionTimeout, insecure)
                     .coordinatorJvmOptions("-Xmx" + coordinatorHeap)
                     .startCoordinators(2, coordinatorArgs.toArray(String[]::new));
             CuratorFramework zkClient = cluster.zooKeeperClient();
             DroverClient client = DroverClient.builder().endpoints(cluster.endpoints()).credentials(cluster.credentials())
                     .retryDeadline(Duration.ofSeconds(120)).build()) {
            waitFor(Duration.ofMinutes(5), () -> cluster.leader().isPresent()); // slow starts on a loaded machine
            cluster.startAgents(agents, slots);
            // An agent that found no leader in time exits (a loaded machine): start it again until all are in.
            waitFor(Duration.ofMinutes(5), () -> {
                cluster.agents().stream().filter(a -> !a.isAlive()).forEach(DroverProcess::start);
                return client.agents().stream().filter(a -> a.state().equals("ALIVE")).count() == agents;
            });
            String sha = client.uploadArtifact(JobJars.examples());
            try (Sampler sampler = new Sampler(cluster, zkClient, "/drover",
                    io.drover.cli.options.DurationConverter.parse(sampleEvery).toMillis())) {
                sampler.start();
                long t0 = System.nanoTime();
                JobHandle job = client.submit(JobSpec.jvmArtifact(sha, "io.drover.examples.NoOp").name("bench-million")
                        .isolation(Isolation.IN_AGENT).shards(shards).reduce(true).maxAttempts(5).build());
                System.out.printf(Locale.ROOT, "submitted %s: %,d shards + reduce in %.1f s%n", job.jobId(), shards,
                        (System.nanoTime() - t0) / 1e9);
                Failover failover = killAt > 0 ? failover(client, cluster, job, (long) Math.ceil(shards * killAt)) : null;
                JobStatus end = job.await(Duration.ofHours(2));
                double seconds = Duration.between(end.submittedAt(), end.finishedAt().orElseThrow()).toMillis() / 1e3;
                sampler.sampleNow();
                ZkFootprint.Size zkSize = ZkFootprint.under(zkClient, "/drover");
                ZkFootprint.Size logSize = footprint(zkClient, "/drover/log", "/drover/snapshots");
                System.out.printf(Locale.ROOT, "job %s %s: %,d of %,d tasks (shards + reduce) succeeded, %.1f s from submit to end%n",
                        end.jobId(), end.state(), end.succeeded(), shards + 1, seconds);
                System.out.printf(Locale.ROOT, "leader heap after full GC: max %.1f MB over %d samples (per leader: %s)%n",
                        sampler.maxHeapBytes() / 1e6, sampler.samples(), sampler.perLeader());
                System.out.printf(Locale.ROOT, "zookeeper under /drover at the end: %,d znodes, %.2f MB of data (fact log and "
                                + "snapshots: %,d znodes, %.2f MB); max seen during the run %.2f MB; newest server snapshot file %.2f MB%n",
                        zkSize.znodes(), zkSize.dataBytes() / 1e6, logSize.znodes(), logSize.dataBytes() / 1e6,
                        sampler.maxZkBytes() / 1e6, ZkFootprint.newestSnapshotBytes(dir.resolve("zk")) / 1e6);
                takeovers(cluster);
                if (failover != null) {
                    System.out.printf(Locale.ROOT, "failover at %,d succeeded: kill_to_leader_serving_ms=%d kill_to_first_commit_ms=%d "
                                    + "session_timeout=%s%n", failover.atSucceeded(), failover.servingMs(), failover.firstCommitMs(),
                            sessionTimeout);
                }
                System.out.printf(Locale.ROOT, "shards=%d seconds=%.1f tasks_per_s=%.0f max_leader_heap_mb=%.1f zk_data_mb=%.2f "
                                + "kill_to_first_commit_ms=%d state=%s%n", shards, seconds, shards / seconds,
                        sampler.maxHeapBytes() / 1e6, Math.max(sampler.maxZkBytes(), zkSize.dataBytes()) / 1e6,
                        failover == null ? -1 : failover.firstCommitMs(), end.state());
                return end.state().name().equals("SUCCEEDED") ? 0 : 1;
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** The coordinators' own account of each takeover: what they recovered and how long it took. */
    private static void takeovers(ProcessCluster cluster) throws java.io.IOException {
        for (DroverProcess c : cluster.coordinators()) {
            if (Files.exists(c.log())) {
                try (java.util.stream.Stream<String> lines = Files.lines(c.log())) {
                    lines.filter(l -> l.contains("LEADER:") || l.contains("loaded ") || l.contains("compacted "))
                            .forEach(l -> System.out.println(c.name() + ": " + l.strip()));
                }
            }
        }
    }

    private static ZkFootprint.Size footprint(CuratorFramework zk, String... roots) {
        long znodes = 0;
        long bytes = 0;
        for (String root : roots) {
            ZkFootprint.Size s = ZkFootprint.under(zk, root);
            znodes += s.znodes();
            bytes += s.dataBytes();
        }
        return new ZkFootprint.Size(znodes, bytes);
    }

    record Failover(long atSucceeded, long servingMs, long firstCommitMs) {
    }

    /**
     * Waits for {@code at} shards, kills the leader, then times a standby serving as leader and
     * the first shard committed under it: the job's count of succeeded shards, as the new leader
     * first answers it, growing (polled every 20 ms, so within about that).
     */
    private Failover failover(DroverClient client, ProcessCluster cluster, JobHandle job, long at) {
        waitFor(Duration.ofHours(1), () -> {
            pause(200);
            return job.status().succeeded() >= at;
        });
        DroverProcess leader = cluster.leader().orElseThrow();
        long succeeded = job.status().succeeded();
        long t0 = System.nanoTime();
        leader.kill();
        long serving = -1;
        long firstCommit = -1;
        long firstAnswer = -1;
        long deadline = t0 + Duration.ofMinutes(5).toNanos();
        while (firstCommit < 0 && System.nanoTime() < deadline) {
            if (serving < 0 && servingLeader(cluster, leader).isPresent()) {
                serving = (System.nanoTime() - t0) / 1_000_000;
            }
            if (serving >= 0) {
                try {
                    long now = job.status().succeeded();
                    if (firstAnswer < 0) {
                        firstAnswer = now;
                    } else if (now > firstAnswer) {
                        firstCommit = (System.nanoTime() - t0) / 1_000_000;
                    }
                } catch (RuntimeException e) {
                    // the new leader is still taking over: ask again
                }
            }
            pause(20);
        }
        System.out.printf(Locale.ROOT, "killed the leader %s at %,d succeeded; a standby served after %d ms, the first new "
                + "commit after %d ms%n", leader.name(), succeeded, serving, firstCommit);
        return new Failover(succeeded, serving, firstCommit);
    }

    private static Optional<ServerInfo> servingLeader(ProcessCluster cluster, DroverProcess killed) {
        for (DroverProcess c : cluster.coordinators()) {
            if (c != killed && c.isAlive()) {
                Optional<ServerInfo> info = cluster.hello(cluster.endpointOf(c));
                if (info.isPresent() && info.get().isLeader()) {
                    return info;
                }
            }
        }
        return Optional.empty();
    }
}
