package io.drover.bench;

import io.drover.cli.demo.JobJars;
import io.drover.cli.demo.LocalCluster;

import io.drover.coordinator.engine.LoopMetrics;
import io.drover.protocol.tls.TlsSettings;
import io.drover.sdk.DroverClient;
import io.drover.sdk.Isolation;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import io.drover.agent.AgentConfig;
import io.drover.agent.workers.WorkerSettings;
import io.drover.agent.contain.ContainmentMode;
import io.drover.agent.contain.ContainmentSettings;
import io.drover.agent.launch.LauncherMode;
import io.drover.agent.contain.TaskLimits;

/**
 * {@code drover bench}: N tasks in one sharded job on a real local cluster (embedded ZooKeeper,
 * one coordinator, K agents, loopback Thrift), timed from submit to completion. By default no-op
 * JVM tasks in warm worker JVMs ({@code --in-agent} for the agent's own JVM); {@code --command}
 * runs a process per task instead, and then also measures this machine's raw spawn rate (a shell
 * loop of /bin/true) in the same sitting, since process creation bounds what any scheduler can do.
 * Dispatch latency is measured by the leader per task: assignment sent → result committed.
 * {@code --tls} runs every connection over TLS 1.3 (a throwaway CA), for a figure against plaintext.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Throughput benchmark: one job of N tasks on K local agents.",
                "Last line: tasks=N seconds=S tasks_per_s=R p50_dispatch_ms=X p99_dispatch_ms=Y",
                "On Linux also cpu_ms_per_task (the measured job only): bench JVM and worker JVMs, JIT threads apart;",
                "With --command: also raw_spawn_per_s (shell loop of /bin/true) and fraction_of_raw_spawn;",
                "with --task-seconds: ideal_s and makespan_ratio (seconds / ideal), and coordinator_makespan_ratio",
                "(submit accepted to job ended, by the coordinator's clock)."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--tasks", defaultValue = "100000", description = "Tasks (shards) in the job. Default: ${DEFAULT-VALUE}")
    int tasks;

    @Option(names = "--agents", defaultValue = "4", description = "Agents. Default: ${DEFAULT-VALUE}")
    int agents;

    @Option(names = "--slots", description = "Slots per agent. Default: 64 with --in-agent; else 4, since every slot "
            + "of a worker-JVM or process job is a process of its own.")
    Integer slotsOption;

    int slots;

    @Option(names = "--warmup", defaultValue = "2000", description = "Tasks of a warm-up job run first (0 for none). Default: ${DEFAULT-VALUE}")
    int warmup;

    @Option(names = "--durable-results", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Group-commit every task result to ZooKeeper (default). --no-durable-results measures the cost.")
    boolean durableResults;

    @Option(names = "--in-agent", description = "Run the no-op JVM tasks in the agent's JVM instead of warm worker JVMs.")
    boolean inAgent;

    @Option(names = "--job-class", paramLabel = "CLASS", defaultValue = "io.drover.examples.NoOp",
            description = "JVM tasks: the job-examples class to run (e.g. io.drover.examples.Sleep). Default: ${DEFAULT-VALUE}")
    String jobClass;

    @Option(names = "--arg", paramLabel = "ARG", description = "A job argument (repeatable), e.g. --arg 100 for Sleep's milliseconds.")
    List<String> jobArguments = new ArrayList<>();

    @Option(names = "--queue-ahead", paramLabel = "N",
            description = "Tasks each agent accepts beyond its slots (the agent's --queue-ahead). Default: the agent's, "
                    + "as many as its slots.")
    Integer queueAheadOption;

    @Option(names = "--worker-pipeline", paramLabel = "K", defaultValue = "" + WorkerSettings.DEFAULT_PIPELINE_DEPTH,
            description = "JVM tasks in worker JVMs: tasks in flight per worker at most (the agent's --worker-pipeline; "
                    + "1 = one at a time, as before). Needs --queue-ahead to have tasks to queue. Default: ${DEFAULT-VALUE}")
    int workerPipeline;

    @Option(names = "--worker-jvm-option", paramLabel = "OPTION",
            description = "JVM tasks in worker JVMs: an extra worker JVM option (repeatable; the agent's --worker-jvm-option), "
                    + "e.g. --worker-jvm-option=-XX:+PreserveFramePointer to profile the workers.")
    List<String> workerJvmOptions = new ArrayList<>();

    @Option(names = "--command", paramLabel = "\"CMD ARGS\"",
            description = "Process tasks: run this command per task (split on spaces), e.g. /bin/true or \"sleep 0.1\".")
    String command;

    @Option(names = "--task-seconds", paramLabel = "S",
            description = "How long one task takes when run alone (e.g. 0.1 for \"sleep 0.1\"): prints the ideal makespan "
                    + "tasks x S / (agents x slots) and the measured ratio to it.")
    double taskSeconds;

    @Option(names = "--containment", paramLabel = "auto|cgroup|tracked", defaultValue = "auto",
            description = "The agents' process task containment (the agent's --containment), to compare launch costs. Default: ${DEFAULT-VALUE}")
    String containment;

    @Option(names = "--launcher", paramLabel = "auto|native|jdk", defaultValue = "auto",
            description = "How the agents start process tasks (the agent's --launcher), to compare launch costs. Default: ${DEFAULT-VALUE}")
    String launcher;

    @Option(names = "--rounds", defaultValue = "1",
            description = "Run the measured job this many times on the same cluster, a line per round: shows whether "
                    + "the grid slows as finished jobs pile up in its history. The last line is the last round's. "
                    + "Default: ${DEFAULT-VALUE}")
    int rounds;

    @Option(names = "--tls", description = "Secure as a production cluster: every connection (client and agents) over "
            + "TLS 1.3 with a throwaway CA, tokens for the client, to compare with the default plaintext run in one sitting.")
    boolean tls;

    @Override
    public Integer call() {
        slots = slotsOption != null ? slotsOption : inAgent ? 64 : 4;
        int queueAhead = queueAheadOption != null ? queueAheadOption : AgentConfig.defaultQueueAhead(slots);
        try (LocalCluster cluster = new LocalCluster(agents, slots,
                durableResults ? UnaryOperator.identity() : JobFactsOnlyStore::new, queueAhead, tls,
                new ContainmentSettings(ContainmentMode.parse(containment), TaskLimits.NONE, LauncherMode.parse(launcher)),
                WorkerSettings.defaults().withPipelineDepth(workerPipeline).withJvmOptions(workerJvmOptions));
             DroverClient client = DroverClient.builder().endpoints(cluster.endpoint()).credentials(cluster.credentials())
                     .build()) {
            if (!cluster.coordinator().awaitLeadership(Duration.ofSeconds(30))) {
                throw new IllegalStateException("no leader within 30 s");
            }
            String sha = command == null ? client.uploadArtifact(JobJars.examples()) : null;
            if (warmup > 0) {
                run(client, sha, warmup);
            }
            for (int round = 1; round < rounds; round++) {
                java.util.Optional<CpuSplit> roundCpu = CpuSplit.now();
                LoopMetrics live = cluster.coordinator().metrics(); // live counters: read them before and after
                long compactions0 = live.compactions();
                long compactionNanos0 = live.compactionNanos();
                long r0 = System.nanoTime();
                JobStatus done = run(client, sha, tasks);
                double s = (System.nanoTime() - r0) / 1e9;
                java.util.Optional<CpuSplit> roundEnd = CpuSplit.now();
                System.out.printf(Locale.ROOT, "round=%d state=%s seconds=%.2f tasks_per_s=%.0f compactions=%d compaction_ms=%d %s%n",
                        round, done.state(), s, tasks / s, live.compactions() - compactions0,
                        (live.compactionNanos() - compactionNanos0) / 1_000_000,
                        roundCpu.isPresent() && roundEnd.isPresent() ? roundEnd.get().perTask(roundCpu.get(), tasks) : "");
            }
            LoopMetrics before = cluster.coordinator().metrics();
            long commitsBefore = before.commits();
            long factsBefore = before.factsCommitted();
            long compactionsBefore = before.compactions();
            long compactionNanosBefore = before.compactionNanos();
            java.util.Optional<CpuSplit> cpuBefore = CpuSplit.now();
            long t0 = System.nanoTime();
            JobStatus end = run(client, sha, tasks);
            double seconds = (System.nanoTime() - t0) / 1e9;
            java.util.Optional<CpuSplit> cpuAfter = CpuSplit.now();
            if (!end.state().isTerminal() || end.succeeded() != tasks) {
                System.err.println("bench: job ended " + end.state() + " with " + end.succeeded() + "/" + tasks + " tasks");
                return 1;
            }
            LoopMetrics m = cluster.coordinator().metrics();
            System.out.printf(Locale.ROOT, "zk_group_commits=%d facts=%d facts_per_commit=%.1f compactions=%d compaction_ms=%d%n",
                    m.commits() - commitsBefore, m.factsCommitted() - factsBefore,
                    (m.factsCommitted() - factsBefore) / (double) Math.max(1, m.commits() - commitsBefore),
                    m.compactions() - compactionsBefore, (m.compactionNanos() - compactionNanosBefore) / 1_000_000);
            if (taskSeconds > 0) {
                double ideal = tasks * taskSeconds / ((double) agents * slots);
                System.out.printf(Locale.ROOT, "ideal_s=%.2f makespan_ratio=%.3f%n", ideal, seconds / ideal);
                // The coordinator's own clock, submit accepted to job ended: without the client's submit call and
                // the poll that sees the end (see JobHandle.await).
                end.finishedAt().ifPresent(f -> System.out.printf(Locale.ROOT, "coordinator_makespan_ratio=%.3f%n",
                        Duration.between(end.submittedAt(), f).toNanos() / 1e9 / ideal));
            }
            if (command != null) {
                double raw = RawSpawnRate.shellLoop(Math.max(200, Math.min(2000, tasks)));
                System.out.printf(Locale.ROOT, "raw_spawn_per_s=%.1f fraction_of_raw_spawn=%.2f%n", raw, tasks / seconds / raw);
            }
            if (cpuBefore.isPresent() && cpuAfter.isPresent()) {
                System.out.println(cpuAfter.get().perTask(cpuBefore.get(), tasks));
            }
            System.out.println("transport=" + (tls ? TlsSettings.PROTOCOL : "plaintext"));
            System.out.printf(Locale.ROOT, "tasks=%d seconds=%.2f tasks_per_s=%.0f p50_dispatch_ms=%d p99_dispatch_ms=%d%n",
                    tasks, seconds, tasks / seconds, m.dispatchQuantileMillis(0.50), m.dispatchQuantileMillis(0.99));
            return 0;
        }
    }

    private JobStatus run(DroverClient client, String sha, int n) {
        JobSpec.Builder spec = command != null
                ? JobSpec.process(List.of(command.trim().split("\\s+"))).name("bench-process")
                : JobSpec.jvmArtifact(sha, jobClass).name("bench-jvm")
                        .isolation(inAgent ? Isolation.IN_AGENT : Isolation.WORKER);
        JobHandle job = client.submit(spec.arguments(jobArguments).shards(n).build());
        return job.await(Duration.ofMinutes(30));
    }
}
