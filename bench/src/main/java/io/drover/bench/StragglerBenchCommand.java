package io.drover.bench;

import static io.drover.bench.BenchSupport.waitFor;
import static io.drover.cli.demo.Directories.deleteTree;

import io.drover.bench.cluster.ProcessCluster;
import io.drover.cli.demo.JobJars;
import io.drover.coordinator.EmbeddedZooKeeper;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobStatus;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover bench-stragglers}: the makespan of a job with injected stragglers (a share of its
 * shards run 10x slower on their first execution, normal speed on a second: see the Straggler
 * example job) with straggler backups on against the same job with them off, on real coordinator
 * and agent processes (loopback, embedded ZooKeeper). Figures, not assertions.
 */
@Command(name = "bench-stragglers", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Makespan of N tasks with injected stragglers (every 20th shard's first run 10x slower) with",
            "straggler backups on and off, on real processes. Prints both makespans and their ratio."})
public final class StragglerBenchCommand implements Callable<Integer> {
    @Option(names = "--tasks", defaultValue = "200", description = "Shards of the job. Default: ${DEFAULT-VALUE}")
    int tasks;

    @Option(names = "--task-ms", defaultValue = "500", description = "A normal task's sleep in ms. Default: ${DEFAULT-VALUE}")
    int taskMs;

    @Option(names = "--every", defaultValue = "20", description = "One shard in this many straggles (20: 5%%). Default: ${DEFAULT-VALUE}")
    int every;

    @Option(names = "--slowdown", defaultValue = "10", description = "How many times slower a straggler's first run is. Default: ${DEFAULT-VALUE}")
    int slowdown;

    @Option(names = "--agents", defaultValue = "4", description = "Agent processes. Default: ${DEFAULT-VALUE}")
    int agents;

    @Option(names = "--slots", defaultValue = "4", description = "Slots per agent. Default: ${DEFAULT-VALUE}")
    int slots;

    @Option(names = "--reps", defaultValue = "2", description = "Runs of each mode, alternating. Default: ${DEFAULT-VALUE}")
    int reps;

    @Option(names = "--insecure", description = "Plaintext processes, no tokens or certificates.")
    boolean insecure;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("drover-bench-stragglers-");
        try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir.resolve("zk"), 0);
             ProcessCluster cluster = BenchSupport.processCluster(zk.connectString(), dir, "6s", insecure)
                     // One coordinator and no standby: stepping down on a slow self-check (a loaded machine) would only end the run.
                     .startCoordinators(1, "--step-down-after", "0s").startAgents(agents, slots)) {
            waitFor(Duration.ofSeconds(180), () -> cluster.leader().isPresent()); // processes start slowly on a busy machine
            try (DroverClient client = DroverClient.builder().endpoints(cluster.endpoints()).credentials(cluster.credentials())
                    .retryDeadline(Duration.ofSeconds(60)).build()) {
                // An agent that could not join a coordinator still starting (a busy machine) exits: start it again.
                waitFor(Duration.ofSeconds(300), () -> {
                    cluster.agents().stream().filter(p -> !p.isAlive()).forEach(p -> p.start());
                    return client.agents().size() == agents;
                });
                String sha = client.uploadArtifact(JobJars.examples());
                // Warm-up: every agent fetches the artifact and starts its workers before anything is timed.
                run(client, sha, dir, agents * slots * 2, 100, 0, false);
                double sumOff = 0;
                double sumOn = 0;
                for (int r = 0; r < reps; r++) {
                    sumOff += report(run(client, sha, dir, tasks, taskMs, every, false), false);
                    sumOn += report(run(client, sha, dir, tasks, taskMs, every, true), true);
                }
                double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                System.out.printf(Locale.ROOT, "stragglers tasks=%d task_ms=%d stragglers=%d slowdown=%dx slots=%d reps=%d "
                                + "mean_makespan_s_without=%.2f mean_makespan_s_with=%.2f ratio_with_to_without=%.2f load_avg_1m=%.2f%n",
                        tasks, taskMs, stragglers(), slowdown, agents * slots, reps, sumOff / reps, sumOn / reps,
                        sumOn / sumOff, load);
            }
        } finally {
            deleteTree(dir);
        }
        return 0;
    }

    private int stragglers() {
        int n = 0;
        for (int i = 0; i < tasks; i++) {
            if (every > 0 && i % every == 7 % every) {
                n++;
            }
        }
        return n;
    }

    private JobStatus run(DroverClient client, String sha, Path dir, int shards, int millis, int straggleEvery,
                          boolean backups) throws java.io.IOException {
        Path markers = Files.createDirectories(dir.resolve("markers-" + System.nanoTime()));
        JobSpec spec = JobSpec.jvmArtifact(sha, "io.drover.examples.Straggler").name("straggler-bench").shards(shards)
                .maxAttempts(3).backups(backups).arguments(Integer.toString(millis), Integer.toString(straggleEvery),
                        Integer.toString(slowdown), markers.toString()).build();
        return client.submit(spec).await(Duration.ofMinutes(10));
    }

    private double report(JobStatus end, boolean backups) {
        // The coordinator's own timestamps: submit accepted to job ended, free of client polling.
        double seconds = Duration.between(end.submittedAt(), end.finishedAt().orElseThrow()).toMillis() / 1e3;
        double ideal = (double) tasks * taskMs / (agents * slots) / 1e3;
        System.out.printf(Locale.ROOT, "makespan backups=%s state=%s seconds=%.2f ideal_without_stragglers=%.2f "
                        + "backups_started=%d backups_won=%d%n", backups ? "on" : "off", end.state(), seconds, ideal,
                end.backups().map(b -> b.started()).orElse(0), end.backups().map(b -> b.won()).orElse(0));
        return seconds;
    }
}
