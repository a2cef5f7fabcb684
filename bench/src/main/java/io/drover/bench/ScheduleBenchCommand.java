package io.drover.bench;

import io.drover.cli.DroverCli;
import io.drover.cli.demo.JobJars;

import static io.drover.cli.demo.Directories.deleteTree;
import static io.drover.bench.BenchSupport.pause;
import static io.drover.bench.BenchSupport.waitFor;

import io.drover.coordinator.EmbeddedZooKeeper;
import io.drover.bench.cluster.DroverProcess;
import io.drover.bench.cluster.ProcessCluster;
import io.drover.sdk.Codecs;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.MisfirePolicy;
import io.drover.sdk.ScheduleRun;
import io.drover.sdk.ScheduleSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover bench-schedule}: fire precision of cron schedules on real processes (embedded
 * ZooKeeper, two coordinators, agents, loopback). Several every-second schedules fire together
 * until a few hundred runs have started; each run's one shard reads the agent's clock when it
 * starts ({@code WallClock}). Per fire: scheduled (the cron time) → fired (the leader's core
 * handled it and accepted the run's job) → started (the shard's code runs on an agent). Same
 * machine, same clock. Then, unless {@code --no-failover}, the leader is killed (-9) while a
 * schedule runs, and that schedule's history is printed as {@code drover schedule show} shows it.
 */
@Command(name = "bench-schedule", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Schedule fire precision (scheduled vs actual start) over N fires, and one schedule's "
                + "history across a leader kill.",
                "Last line: fires=N p50_late_ms=X p99_late_ms=Y max_late_ms=M p50_fire_ms=F p99_fire_ms=G"})
public final class ScheduleBenchCommand implements Callable<Integer> {
    private static final String JOB_CLASS = "io.drover.examples.WallClock";

    @Option(names = "--fires", defaultValue = "300", description = "Runs to measure. Default: ${DEFAULT-VALUE}")
    int fires;

    @Option(names = "--schedules", defaultValue = "4",
            description = "Every-second schedules firing together (fires per second). Default: ${DEFAULT-VALUE}")
    int schedules;

    @Option(names = "--agents", defaultValue = "2", description = "Agent processes. Default: ${DEFAULT-VALUE}")
    int agents;

    @Option(names = "--slots", defaultValue = "8", description = "Slots per agent. Default: ${DEFAULT-VALUE}")
    int slots;

    @Option(names = "--failover", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Kill the leader during a schedule and print its history (default). --no-failover skips it.")
    boolean failover;

    @Option(names = "--session-timeout", defaultValue = "3s",
            description = "ZooKeeper session timeout of the coordinators. Default: ${DEFAULT-VALUE}")
    String sessionTimeout;

    @Option(names = "--insecure", description = "Plaintext processes, no tokens or certificates: the baseline for the TLS figures.")
    boolean insecure;

    /** One measured fire: the cron time, when the leader handled it, when the shard started (0: not yet). */
    private record Fire(long scheduledMs, long firedMs, long startedMs) {
    }

    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory("drover-bench-schedule-");
        try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir.resolve("zk"), 0);
             ProcessCluster cluster = BenchSupport.processCluster(zk.connectString(), dir, sessionTimeout, insecure)
                     .startCoordinators(2).startAgents(agents, slots)) {
            waitFor(Duration.ofSeconds(60), () -> cluster.leader().isPresent());
            try (DroverClient client = DroverClient.builder().endpoints(cluster.endpoints()).credentials(cluster.credentials())
                    .retryDeadline(Duration.ofSeconds(60)).build()) {
                waitFor(Duration.ofSeconds(60), () -> client.agents().size() == agents);
                String sha = client.uploadArtifact(JobJars.examples());
                // Warm-up: every agent caches the artifact and loads the class before the clock starts.
                client.submit(job(sha, 0).name("warm-up").shards(agents * slots).build()).await(Duration.ofMinutes(2));
                List<Fire> measured = precision(client, sha);
                if (failover) {
                    failoverHistory(client, sha, cluster);
                }
                List<Long> late = measured.stream().map(f -> f.startedMs() - f.scheduledMs()).sorted().toList();
                List<Long> fire = measured.stream().map(f -> f.firedMs() - f.scheduledMs()).sorted().toList();
                System.out.printf(Locale.ROOT, "fires=%d p50_late_ms=%d p99_late_ms=%d max_late_ms=%d p50_fire_ms=%d p99_fire_ms=%d%n",
                        late.size(), quantile(late, 0.50), quantile(late, 0.99), late.get(late.size() - 1),
                        quantile(fire, 0.50), quantile(fire, 0.99));
            }
        } finally {
            deleteTree(dir);
        }
        return 0;
    }

    private static JobSpec.Builder job(String sha, int sleepMs) {
        return JobSpec.jvmArtifact(sha, JOB_CLASS).arguments(Integer.toString(sleepMs));
    }

    /** Runs {@code schedules} every-second schedules until {@code fires} runs started and reported their start. */
    private List<Fire> precision(DroverClient client, String sha) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < schedules; i++) {
            String name = "bench-" + i;
            client.addSchedule(ScheduleSpec.builder(name, "* * * * * ?", job(sha, 0).build())
                    .misfire(MisfirePolicy.SKIP).build());
            names.add(name);
        }
        System.out.printf(Locale.ROOT, "measuring %d fires: %d every-second schedules firing together, %d agents x %d slots%n",
                fires, schedules, agents, slots);
        Map<String, Fire> byJob = new HashMap<>(); // histories are bounded: collect them as they grow
        boolean paused = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(60L + 3L * fires / Math.max(1, schedules)).toNanos();
        while (byJob.size() < fires || byJob.values().stream().anyMatch(f -> f.startedMs() == 0)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + byJob.values().stream().filter(f -> f.startedMs() > 0).count()
                        + " of " + fires + " runs reported their start in time");
            }
            for (String name : names) {
                for (ScheduleRun run : client.schedule(name).history()) {
                    collect(client, run, byJob);
                }
            }
            if (!paused && byJob.size() >= fires) {
                names.forEach(client::pauseSchedule);
                paused = true;
            }
            pause(500);
        }
        names.forEach(client::removeSchedule);
        return byJob.values().stream().sorted(Comparator.comparingLong(Fire::scheduledMs)).toList();
    }

    private static void collect(DroverClient client, ScheduleRun run, Map<String, Fire> byJob) {
        if (run.status() != ScheduleRun.Status.STARTED || run.jobId().isEmpty()) {
            return;
        }
        String jobId = run.jobId().get();
        Fire known = byJob.get(jobId);
        if (known == null) {
            known = new Fire(run.scheduledAt().toEpochMilli(), run.firedAt().toEpochMilli(), 0);
            byJob.put(jobId, known);
        }
        if (known.startedMs() == 0 && run.jobState().isPresent()) {
            if (run.jobState().get() != JobState.SUCCEEDED) {
                throw new IllegalStateException("run " + jobId + " ended " + run.jobState().get());
            }
            long started = client.job(jobId).shardResults(Duration.ofSeconds(30), Codecs.int64()).get(0);
            byJob.put(jobId, new Fire(known.scheduledMs(), known.firedMs(), started));
        }
    }

    /**
     * One every-second schedule (FIRE_ALL) whose runs take 1.5 s; the leader is killed 300 ms
     * after a fire, with runs in flight. Prints the history the user would see, and checks that
     * every second from the first fire to the last has exactly one run.
     */
    private void failoverHistory(DroverClient client, String sha, ProcessCluster cluster) {
        String name = "failover-demo";
        client.addSchedule(ScheduleSpec.builder(name, "* * * * * ?", job(sha, 1500).build())
                .misfire(MisfirePolicy.FIRE_ALL).maxCatchUp(100).build());
        waitFor(Duration.ofSeconds(30), () -> started(client, name).size() >= 4);
        long killAt = (System.currentTimeMillis() / 1000 + 1) * 1000 + 300;
        waitFor(Duration.ofSeconds(5), () -> System.currentTimeMillis() >= killAt);
        DroverProcess old = cluster.leader().orElseThrow();
        old.kill();
        Instant killed = Instant.now();
        waitFor(Duration.ofSeconds(60), () -> cluster.leader().isPresent());
        DroverProcess next = cluster.leader().orElseThrow();
        Instant leading = Instant.now();
        waitFor(Duration.ofSeconds(60), () -> started(client, name).stream()
                .anyMatch(r -> r.scheduledAt().isAfter(leading.plusSeconds(4))));
        client.pauseSchedule(name);
        waitFor(Duration.ofSeconds(60), () -> started(client, name).stream().allMatch(r -> r.jobState().isPresent()));

        System.out.printf(Locale.ROOT, "%nfailover: %s killed (-9) at %s; %s leading (answering hello) at %s, %d ms later%n",
                old.name(), killed, next.name(), leading, Duration.between(killed, leading).toMillis());
        List<ScheduleRun> runs = started(client, name);
        long firstMs = runs.get(0).scheduledAt().toEpochMilli();
        long lastMs = runs.get(runs.size() - 1).scheduledAt().toEpochMilli();
        long distinct = runs.stream().map(ScheduleRun::scheduledAt).distinct().count();
        long succeeded = runs.stream().filter(r -> r.jobState().orElse(null) == JobState.SUCCEEDED).count();
        System.out.printf(Locale.ROOT, "failover: %d runs for %d fire times (%d seconds from first to last), %d SUCCEEDED%n",
                runs.size(), distinct, (lastMs - firstMs) / 1000 + 1, succeeded);
        System.out.println("$ drover schedule show " + name);
        System.out.flush();
        List<String> show = new ArrayList<>(List.of("schedule", "show", name, "--coordinators", cluster.endpoints()));
        show.addAll(cluster.cliFlags());
        DroverCli.commandLine().execute(show.toArray(String[]::new));
        System.out.println();
        client.removeSchedule(name);
    }

    private static List<ScheduleRun> started(DroverClient client, String name) {
        return client.schedule(name).history().stream().filter(r -> r.status() == ScheduleRun.Status.STARTED)
                .sorted(Comparator.comparing(ScheduleRun::scheduledAt)).toList();
    }

    /** Nearest-rank quantile of a sorted list. */
    static long quantile(List<Long> sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
