package io.drover.dist;

import io.drover.coordinator.engine.LoopMetrics;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobStatus;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover bench}: N no-op JVM tasks in one sharded job on a real local cluster (embedded
 * ZooKeeper, one coordinator, K agents, loopback Thrift), timed from submit to completion.
 * Dispatch latency is measured by the leader per task: assignment sent → result committed.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Throughput benchmark: one job of N no-op tasks on K local agents.",
                "Last line: tasks=N seconds=S tasks_per_s=R p50_dispatch_ms=X p99_dispatch_ms=Y"})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--tasks", defaultValue = "100000", description = "Tasks (shards) in the job. Default: ${DEFAULT-VALUE}")
    int tasks;

    @Option(names = "--agents", defaultValue = "4", description = "Agents. Default: ${DEFAULT-VALUE}")
    int agents;

    @Option(names = "--slots", defaultValue = "64", description = "Slots per agent. Default: ${DEFAULT-VALUE}")
    int slots;

    @Option(names = "--warmup", defaultValue = "2000", description = "Tasks of a warm-up job run first (0 for none). Default: ${DEFAULT-VALUE}")
    int warmup;

    @Option(names = "--durable-results", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Group-commit every task result to ZooKeeper (default). --no-durable-results measures the cost.")
    boolean durableResults;

    @Override
    public Integer call() {
        try (LocalCluster cluster = new LocalCluster(agents, slots, durableResults);
             DroverClient client = DroverClient.connect(cluster.endpoint())) {
            if (!cluster.coordinator().awaitLeadership(Duration.ofSeconds(30))) {
                throw new IllegalStateException("no leader within 30 s");
            }
            String sha = client.uploadArtifact(JobJars.examples());
            if (warmup > 0) {
                run(client, sha, warmup);
            }
            LoopMetrics before = cluster.coordinator().metrics();
            long commitsBefore = before.commits();
            long factsBefore = before.factsCommitted();
            long t0 = System.nanoTime();
            JobStatus end = run(client, sha, tasks);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!end.state().isTerminal() || end.succeeded() != tasks) {
                System.err.println("bench: job ended " + end.state() + " with " + end.succeeded() + "/" + tasks + " tasks");
                return 1;
            }
            LoopMetrics m = cluster.coordinator().metrics();
            System.out.printf(Locale.ROOT, "zk_group_commits=%d facts=%d facts_per_commit=%.1f%n", m.commits() - commitsBefore,
                    m.factsCommitted() - factsBefore,
                    (m.factsCommitted() - factsBefore) / (double) Math.max(1, m.commits() - commitsBefore));
            System.out.printf(Locale.ROOT, "tasks=%d seconds=%.2f tasks_per_s=%.0f p50_dispatch_ms=%d p99_dispatch_ms=%d%n",
                    tasks, seconds, tasks / seconds, m.dispatchQuantileMillis(0.50), m.dispatchQuantileMillis(0.99));
            return 0;
        }
    }

    private static JobStatus run(DroverClient client, String sha, int n) {
        JobHandle job = client.submit(JobSpec.jvmArtifact(sha, "io.drover.examples.NoOp").name("bench-noop").shards(n).build());
        return job.await(Duration.ofMinutes(30));
    }
}
