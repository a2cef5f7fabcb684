package io.drover.bench.agents;

import static io.drover.bench.BenchSupport.pause;
import static io.drover.bench.BenchSupport.waitFor;
import static io.drover.cli.demo.Directories.deleteTree;

import io.drover.bench.BenchSupport;
import io.drover.bench.cluster.DroverProcess;
import io.drover.bench.cluster.ProcessCluster;
import io.drover.bench.fuzz.ProcessProbe;
import io.drover.cli.options.DurationConverter;
import io.drover.coordinator.EmbeddedZooKeeper;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobStatus;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover bench agents}: many simulated agents on one leader. A real ZooKeeper (embedded
 * here) and a real coordinator process, measured from outside through /proc and jcmd; the agents
 * are an {@link AgentSwarm} in this JVM on real sockets. Phases: registration, an idle phase of
 * heartbeats (leader CPU, reply latencies), the leader's heap per agent, then one job of no-op
 * tasks spread over them, checked for every task acknowledged exactly once.
 */
@Command(name = "agents", mixinStandardHelpOptions = true,
        description = {"Many simulated agents (real protocol, real sockets) on one real coordinator process.",
                "Last line: agents=N registration_s=S heartbeats_per_s=H leader_cores=C p99_reply_ms=P "
                        + "heap_per_agent_bytes=B tasks=T job_s=J exactly_once=true|false"})
public final class AgentBenchCommand implements Callable<Integer> {
    @Option(names = "--agents", defaultValue = "10000", description = "Simulated agents. Default: ${DEFAULT-VALUE}")
    int agents;

    @Option(names = "--tasks", defaultValue = "100000", description = "No-op tasks in the job (0: no job). Default: ${DEFAULT-VALUE}")
    int tasks;

    @Option(names = "--idle", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Idle phase measured (heartbeats only). Default: ${DEFAULT-VALUE}")
    Duration idle;

    @Option(names = "--slots", defaultValue = "1", description = "Slots per agent. Default: ${DEFAULT-VALUE}")
    int slots;

    @Option(names = "--poll-wait", defaultValue = "1s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long the leader may park a poll: the heartbeat period of an idle agent. 0s: no long "
                    + "polls, a heartbeat every --interval. Default: ${DEFAULT-VALUE}")
    Duration pollWait;

    @Option(names = "--interval", defaultValue = "1s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Heartbeat period with --poll-wait 0s. Default: ${DEFAULT-VALUE}")
    Duration interval;

    @Option(names = "--selectors", defaultValue = "2", description = "Selector threads of the swarm. Default: ${DEFAULT-VALUE}")
    int selectors;

    @Option(names = "--join-concurrency", defaultValue = "200",
            description = "Agents connecting and registering at once. Default: ${DEFAULT-VALUE}")
    int joinConcurrency;

    @Option(names = "--leader-heap", defaultValue = "1g", paramLabel = "SIZE",
            description = "The coordinator process's -Xmx. Default: ${DEFAULT-VALUE}")
    String leaderHeap;

    @Option(names = "--leader-option", paramLabel = "ARG",
            description = "An extra argument for the coordinator (repeatable), e.g. --leader-option=--step-down-after=60s "
                    + "so a leader starved of CPU by other work on the machine keeps leading.")
    List<String> leaderOptions = new java.util.ArrayList<>();

    @Option(names = "--keep-dir", description = "Keep the run's directory (the coordinator's log, ZooKeeper's data) and print its path.")
    boolean keepDir;

    @Option(names = "--insecure", defaultValue = "true",
            description = "Plaintext, no certificates (the only mode so far: simulated agents do not speak TLS).")
    boolean insecure;

    @Override
    public Integer call() throws Exception {
        return run(System.out).exactlyOnce() ? 0 : 1;
    }

    /** The figures of one run; also what the smoke test checks. */
    public record Result(int agents, double registrationSeconds, double heartbeatsPerSecond, double leaderCores,
                         double p99ReplyMs, long heapPerAgentBytes, int tasks, double jobSeconds, TaskLedger.Verdict verdict,
                         boolean jobSucceeded) {
        public boolean exactlyOnce() {
            return tasks == 0 || jobSucceeded && verdict.exactlyOnce();
        }
    }

    public Result run(PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("drover-bench-agents-");
        try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir.resolve("zk"), 0);
             ProcessCluster cluster = BenchSupport.processCluster(zk.connectString(), dir, "10s", true)
                     .coordinatorJvmOptions("-Xmx" + leaderHeap)
                     .startCoordinators(1, leaderArgs())) {
            waitFor(Duration.ofSeconds(60), () -> cluster.leader().isPresent());
            DroverProcess leader = cluster.leader().orElseThrow();
            String[] hostPort = cluster.endpointOf(leader).split(":");
            ProcessProbe before = ProcessProbe.of(leader.pid());
            out.printf(Locale.ROOT, "leader pid %d before agents: %s%n", leader.pid(), before);
            AgentSwarm.Settings settings = new AgentSwarm.Settings(agents, slots, pollWait, interval, selectors,
                    joinConcurrency, "sim-");
            try (AgentSwarm swarm = new AgentSwarm(hostPort[0], Integer.parseInt(hostPort[1]), settings);
                 DroverClient client = DroverClient.builder().endpoints(cluster.endpoints())
                         .credentials(cluster.credentials()).retryDeadline(Duration.ofMinutes(5)).build()) {
                long t0 = System.nanoTime();
                swarm.start();
                waitFor(Duration.ofSeconds(60 + agents / 20), () -> swarm.registered() == agents);
                double registration = (System.nanoTime() - t0) / 1e9;
                out.printf(Locale.ROOT, "registration agents=%d seconds=%.1f per_s=%.0f errors=%s%n", agents, registration,
                        agents / registration, swarm.errors());

                pause(2_000); // every agent past its first poll
                Idle idleFigures = idlePhase(swarm, leader, out);
                ProcessProbe after = ProcessProbe.of(leader.pid());
                long heapPerAgent = (after.heapUsedKbAfterGc() - before.heapUsedKbAfterGc()) * 1024 / agents;
                out.printf(Locale.ROOT, "leader with %d agents: %s heap_per_agent_bytes=%d%n", agents, after, heapPerAgent);

                TaskLedger ledger = new TaskLedger(tasks, agents);
                double jobSeconds = 0;
                boolean succeeded = true;
                if (tasks > 0) {
                    swarm.stats().resetLatencies();
                    swarm.record(ledger);
                    JobHandle job = client.submit(JobSpec.process(List.of("true")).shards(tasks).name("bench-agents").build());
                    JobStatus end = job.await(Duration.ofMinutes(30));
                    jobSeconds = Duration.between(end.submittedAt(), end.finishedAt().orElseThrow()).toMillis() / 1e3;
                    succeeded = end.state() == io.drover.sdk.JobState.SUCCEEDED && end.succeeded() == tasks;
                    // the last acks ride on replies after the job's end: give them a few heartbeats
                    waitFor(Duration.ofSeconds(30), () -> ledger.ackedTasks() == tasks);
                    pause(2 * Math.max(pollWait.toMillis(), interval.toMillis())); // a doubled ack would show by now
                    TaskLedger.Verdict v = ledger.verdict();
                    out.printf(Locale.ROOT, "job %s state=%s tasks=%d seconds=%.1f tasks_per_s=%.0f tasks_per_agent min/median/max=%d/%d/%d%n",
                            end.jobId(), end.state(), tasks, jobSeconds, tasks / Math.max(jobSeconds, 1e-3),
                            v.minPerAgent(), v.medianPerAgent(), v.maxPerAgent());
                    out.printf(Locale.ROOT, "acks never=%d twice=%d reassigned=%d foreign=%d exactly_once=%s%n",
                            v.neverAcked(), v.ackedTwice(), v.reassigned(), v.foreign(), v.exactlyOnce());
                    printLatencies("job", swarm.stats(), out);
                }
                out.printf(Locale.ROOT, "swarm errors: %s%n", swarm.errors());
                Result r = new Result(agents, registration, idleFigures.heartbeatsPerSecond, idleFigures.cores,
                        idleFigures.p99, heapPerAgent, tasks, jobSeconds, ledger.verdict(), succeeded);
                out.printf(Locale.ROOT, "agents=%d registration_s=%.1f heartbeats_per_s=%.0f leader_cores=%.2f p99_reply_ms=%.1f "
                                + "heap_per_agent_bytes=%d tasks=%d job_s=%.1f exactly_once=%s%n",
                        agents, registration, r.heartbeatsPerSecond(), r.leaderCores(), r.p99ReplyMs(), heapPerAgent, tasks,
                        jobSeconds, r.exactlyOnce());
                return r;
            }
        } finally {
            if (keepDir) {
                out.printf(Locale.ROOT, "kept %s (coordinator-1.log: the leader's log)%n", dir);
            } else {
                deleteTree(dir);
            }
        }
    }

    private String[] leaderArgs() {
        // twice the agents: an agent whose call timed out reconnects before the leader has seen its
        // old connection close, and the client's own connections must still get in
        List<String> args = new java.util.ArrayList<>(List.of("--max-connections-per-address", Integer.toString(2 * agents + 64),
                "--max-connections", Integer.toString(2 * agents + 256)));
        args.addAll(leaderOptions);
        return args.toArray(String[]::new);
    }

    private record Idle(double heartbeatsPerSecond, double cores, double p99) {
    }

    private Idle idlePhase(AgentSwarm swarm, DroverProcess leader, PrintStream out) throws Exception {
        AgentSwarm.SwarmStats stats = swarm.stats();
        stats.resetLatencies();
        long replies0 = stats.replies();
        double cpu0 = ProcessCpu.seconds(leader.pid());
        long self = ProcessHandle.current().pid();
        double swarmCpu0 = ProcessCpu.seconds(self);
        long t0 = System.nanoTime();
        pause(idle.toMillis());
        double cpu1 = ProcessCpu.seconds(leader.pid());
        double swarmCpu1 = ProcessCpu.seconds(self);
        long replies1 = stats.replies();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rate = (replies1 - replies0) / seconds;
        double cores = (cpu1 - cpu0) / seconds;
        // CPU per heartbeat holds up better than cores on a machine other work keeps busy: a starved
        // leader answers fewer heartbeats and so uses less CPU, but each costs about the same
        double perHeartbeatUs = (cpu1 - cpu0) * 1e6 / Math.max(1, replies1 - replies0);
        out.printf(Locale.ROOT, "idle seconds=%.1f heartbeats_per_s=%.0f leader_cores=%.2f leader_cpu_us_per_heartbeat=%.0f "
                        + "leader_threads=%d swarm_cores=%.2f load_average=%s%n", seconds, rate, cores, perHeartbeatUs,
                ProcessProbe.light(leader.pid()).threads(), (swarmCpu1 - swarmCpu0) / seconds, loadAverage());
        printLatencies("idle", stats, out);
        // with long polls an idle heartbeat's reply is a parked poll's: its lateness is the latency
        double p99 = pollWait.isZero() ? stats.immediate.quantileMillis(0.99) : stats.parkedLateness.quantileMillis(0.99);
        return new Idle(rate, cores, p99);
    }

    /** The machine's 1-minute load average (other builds share it: figures are only as good as this is low). */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static void printLatencies(String phase, AgentSwarm.SwarmStats s, PrintStream out) {
        out.printf(Locale.ROOT, "%s replies: immediate n=%d p50=%.1fms p99=%.1fms | parked polls, late after their wait "
                        + "n=%d p50=%.1fms p99=%.1fms | polls woken by work n=%d p50=%.1fms p99=%.1fms%n",
                phase, s.immediate.count(), s.immediate.quantileMillis(0.5), s.immediate.quantileMillis(0.99),
                s.parkedLateness.count(), s.parkedLateness.quantileMillis(0.5), s.parkedLateness.quantileMillis(0.99),
                s.woken.count(), s.woken.quantileMillis(0.5), s.woken.quantileMillis(0.99));
    }
}
