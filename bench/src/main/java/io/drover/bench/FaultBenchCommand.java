package io.drover.bench;

import io.drover.cli.demo.JobJars;

import static io.drover.cli.demo.Directories.deleteTree;
import static io.drover.bench.BenchSupport.pause;
import static io.drover.bench.BenchSupport.waitFor;

import io.drover.coordinator.EmbeddedZooKeeper;
import io.drover.bench.cluster.DroverProcess;
import io.drover.bench.cluster.ProcessCluster;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobStatus;
import io.drover.sdk.TaskStatus;
import io.drover.protocol.thrift.ServerInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover bench-faults}: failure figures on real processes (loopback, embedded ZooKeeper):
 * leader kill -9 to new leader serving and to its first assignment; agent kill -9 to its tasks
 * running elsewhere; the 400 x 100 ms workload on 8 slots with and without an agent killed at
 * half way (makespan over the ideal 5 s). Figures, not assertions.
 */
@Command(name = "bench-faults", mixinStandardHelpOptions = true,
        description = "Failover, agent-loss and makespan-under-failure figures with real coordinator and agent processes.")
public final class FaultBenchCommand implements Callable<Integer> {
    @Option(names = "--reps", defaultValue = "3", description = "Repetitions of each kill. Default: ${DEFAULT-VALUE}")
    int reps;

    @Option(names = "--session-timeout", defaultValue = "3s", description = "ZooKeeper session timeout of the coordinators. Default: ${DEFAULT-VALUE}")
    String sessionTimeout;

    @Option(names = "--insecure", description = "Plaintext processes, no tokens or certificates: the baseline for the TLS figures.")
    boolean insecure;

    private Path dir;

    @Override
    public Integer call() throws Exception {
        dir = Files.createTempDirectory("drover-bench-faults-");
        try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir.resolve("zk"), 0);
             ProcessCluster cluster = BenchSupport.processCluster(zk.connectString(), dir, sessionTimeout, insecure)
                     .startCoordinators(2).startAgents(2, 4)) {
            waitFor(Duration.ofSeconds(60), () -> cluster.leader().isPresent());
            try (DroverClient client = DroverClient.builder().endpoints(cluster.endpoints()).credentials(cluster.credentials())
                    .retryDeadline(Duration.ofSeconds(60)).build()) {
                waitFor(Duration.ofSeconds(60), () -> client.agents().size() == 2);
                String sha = client.uploadArtifact(JobJars.examples());
                makespan(client, sha, cluster, false);
                makespan(client, sha, cluster, true);
                cluster.startAgents(1, 4); // spare capacity, so a lost agent's tasks can move at once
                waitFor(Duration.ofSeconds(60), () -> client.agents().size() == 3);
                for (int i = 0; i < reps; i++) {
                    agentLoss(client, sha, cluster);
                }
                DroverProcess spare = cluster.agents().get(2);
                spare.close();
                client.forgetAgent(spare.name());
                for (int i = 0; i < reps; i++) {
                    failover(client, sha, cluster);
                }
            }
        } finally {
            deleteTree(dir);
        }
        return 0;
    }

    private void failover(DroverClient client, String sha, ProcessCluster cluster) throws IOException {
        Path markers = Files.createDirectories(dir.resolve("failover-" + System.nanoTime()));
        JobHandle job = client.submit(sleepJob(sha, 20_000, 50, markers).name("failover-bench").build());
        waitFor(Duration.ofSeconds(60), () -> job.status().succeeded() >= 40);
        DroverProcess leader = cluster.leader().orElseThrow();
        long t0 = System.currentTimeMillis();
        leader.kill();
        ServerInfo next = null;
        while (next == null) {
            for (DroverProcess c : cluster.coordinators()) {
                if (c != leader && c.isAlive()) {
                    Optional<ServerInfo> info = cluster.hello(cluster.endpointOf(c));
                    if (info.isPresent() && info.get().isLeader()) {
                        next = info.get();
                    }
                }
            }
            pause(5);
        }
        long serving = System.currentTimeMillis() - t0;
        long epoch = next.getEpoch();
        long firstAssign = -1;
        long deadline = System.currentTimeMillis() + 60_000;
        while (firstAssign < 0 && System.currentTimeMillis() < deadline) {
            firstAssign = firstMarkerOfEpoch(markers, epoch).map(t -> t - t0).orElse(-1L);
            pause(10);
        }
        System.out.printf(Locale.ROOT, "failover kill_to_leader_serving_ms=%d kill_to_first_assignment_ms=%d session_timeout=%s%n",
                serving, firstAssign, sessionTimeout);
        leader.start();
        job.cancel();
    }

    private void agentLoss(DroverClient client, String sha, ProcessCluster cluster) throws IOException {
        Path markers = Files.createDirectories(dir.resolve("agent-loss-" + System.nanoTime()));
        JobHandle job = client.submit(sleepJob(sha, 6, 30_000, markers).name("agent-loss-bench").build());
        waitFor(Duration.ofSeconds(60), () -> job.status().running() == 6);
        DroverProcess victim = cluster.agents().get(0);
        Map<Integer, String> victimTasks = new HashMap<>();
        for (TaskStatus t : job.status(true).tasks()) {
            if (t.state().equals("RUNNING") && t.agentId().orElse("").equals(victim.name())) {
                victimTasks.put(t.task(), "");
            }
        }
        Set<String> before = listMarkers(markers);
        long t0 = System.currentTimeMillis();
        victim.kill();
        long lastRestart = -1;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Map<Integer, Long> restarted = new HashMap<>();
            for (String m : listMarkers(markers)) {
                int shard = Integer.parseInt(m.substring(0, m.indexOf('-')));
                if (!before.contains(m) && victimTasks.containsKey(shard)) {
                    restarted.merge(shard, mtime(markers.resolve(m)), Math::min);
                }
            }
            if (restarted.keySet().containsAll(victimTasks.keySet())) {
                lastRestart = Collections.max(restarted.values()) - t0;
                break;
            }
            pause(10);
        }
        System.out.printf(Locale.ROOT, "agent_loss tasks_on_killed_agent=%d kill_to_all_running_elsewhere_ms=%d%n",
                victimTasks.size(), lastRestart);
        job.cancel();
        victim.start();
        waitFor(Duration.ofSeconds(60), () -> client.agents().stream().filter(a -> a.state().equals("ALIVE")).count() == 3);
    }

    private void makespan(DroverClient client, String sha, ProcessCluster cluster, boolean killOne) throws IOException {
        Path markers = Files.createDirectories(dir.resolve("makespan-" + System.nanoTime()));
        JobHandle job = client.submit(sleepJob(sha, 400, 100, markers).name("makespan-bench").build());
        DroverProcess victim = cluster.agents().get(1);
        if (killOne) {
            waitFor(Duration.ofSeconds(60), () -> job.status().succeeded() >= 200);
            victim.kill();
            victim.start(); // restarted at once, as systemd (or Dask's nanny, in the peer figure) would
        }
        JobStatus end = job.await(Duration.ofMinutes(5));
        // The coordinator's own timestamps: submit accepted to job ended, free of client polling.
        double seconds = Duration.between(end.submittedAt(), end.finishedAt().orElseThrow()).toMillis() / 1e3;
        long executions = listMarkers(markers).size();
        System.out.printf(Locale.ROOT, "makespan workload=400x100ms slots=8 agent_killed=%s state=%s seconds=%.2f ratio_to_ideal=%.2f executions=%d rerun=%d%n",
                killOne, end.state(), seconds, seconds / 5.0, executions, executions - 400);
        if (killOne) {
            waitFor(Duration.ofSeconds(60), () -> client.agents().stream().filter(a -> a.state().equals("ALIVE")).count() == 2);
        }
    }

    private static JobSpec.Builder sleepJob(String sha, int shards, int millis, Path markers) {
        return JobSpec.jvmArtifact(sha, "io.drover.examples.Sleep").shards(shards).maxAttempts(10)
                .arguments(Integer.toString(millis), markers.toString());
    }

    private static Optional<Long> firstMarkerOfEpoch(Path markers, long epoch) {
        return listMarkers(markers).stream()
                .filter(m -> Long.parseUnsignedLong(m.substring(m.indexOf('-') + 1)) >>> 40 == epoch)
                .map(m -> mtime(markers.resolve(m))).min(Comparator.naturalOrder());
    }

    private static Set<String> listMarkers(Path markers) {
        try (Stream<Path> files = Files.list(markers)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
