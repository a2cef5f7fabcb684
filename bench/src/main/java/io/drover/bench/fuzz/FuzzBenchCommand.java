package io.drover.bench.fuzz;

import static io.drover.bench.BenchSupport.waitFor;
import static io.drover.cli.demo.Directories.deleteTree;

import io.drover.bench.cluster.DroverProcess;
import io.drover.bench.cluster.ProcessCluster;
import io.drover.cli.options.DurationConverter;
import io.drover.coordinator.EmbeddedZooKeeper;
import io.drover.protocol.Endpoint;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.tls.ClientSecurity;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover bench-fuzz}: about 100,000 malformed frames against a real coordinator process
 * (256 MiB heap, as in the system tests) with one agent: on its plaintext port (an --insecure
 * cluster), or with {@code --tls} on its TLS port (a secure cluster: garbage before any handshake,
 * malformed frames inside TLS sessions, handshakes never finished). After each kind the coordinator
 * must still lead in the same epoch and run a job; at the end its heap after a full GC is compared
 * with the start. Prints a line per kind and a verdict; exit code 1 when it failed.
 */
@Command(name = "bench-fuzz", mixinStandardHelpOptions = true,
        description = "Malformed-frame fuzzing of a real coordinator: frames sent, whether it kept leading and serving, memory before and after.")
public final class FuzzBenchCommand implements Callable<Integer> {
    /** How long the coordinator has to answer hello as leader after a kind. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    @Option(names = "--tls", description = "Fuzz the TLS port of a secure cluster (default: the plaintext port of an --insecure one).")
    boolean tls;

    @Option(names = "--scale", defaultValue = "1.0", description = "Multiplies every kind's frame count (1.0 = about 100,000 frames). Default: ${DEFAULT-VALUE}")
    double scale;

    @Option(names = "--session-frames", defaultValue = "2100",
            description = "With --tls: malformed frames sent inside completed TLS sessions (a handshake each). Default: ${DEFAULT-VALUE}")
    int sessionFrames;

    @Option(names = "--handshake-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "With --tls: the coordinator's --handshake-timeout; unfinished handshakes are held 2 s past it and must all be closed. Default: ${DEFAULT-VALUE}")
    Duration handshakeTimeout;

    @Option(names = "--threads", defaultValue = "4", description = "Client threads per kind. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (a failing run replays with the same seed). Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--hold", defaultValue = "10s", converter = DurationConverter.class, description = "How long idle, slow and buffer-claiming connections are held. Default: ${DEFAULT-VALUE}")
    Duration hold;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("drover-bench-fuzz-");
        try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir.resolve("zk"), 0);
             ProcessCluster cluster = tls ? new ProcessCluster(zk.connectString(), dir, "3s")
                     : new ProcessCluster(zk.connectString(), dir, "3s").insecure()) {
            cluster.startCoordinators(1, "--handshake-timeout", handshakeTimeout.toMillis() + "ms").startAgents(1, 2);
            waitFor(Duration.ofSeconds(60), () -> cluster.leader().isPresent());
            DroverProcess coordinator = cluster.coordinators().get(0);
            FuzzVerdict verdict = run(cluster, coordinator, Endpoint.parse(cluster.endpointOf(coordinator)));
            System.out.println(verdict);
            return verdict.passed() ? 0 : 1;
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * The whole run against {@code coordinator}, on its TLS port with {@code --tls} (the cluster must
     * be secure then), else on its plaintext port; also what the system test calls.
     */
    public FuzzVerdict run(ProcessCluster cluster, DroverProcess coordinator, Endpoint endpoint) throws Exception {
        ClientSecurity security = cluster.clientSecurity();
        if (tls == security.currentTls().isInsecure()) {
            throw new IllegalArgumentException(tls ? "--tls needs a secure cluster; this one runs with --insecure"
                    : "the plaintext fuzz needs an --insecure cluster; pass --tls for a secure one");
        }
        TlsFuzz tlsFuzz = tls ? new TlsFuzz(endpoint.host(), endpoint.port(), security.currentTls(), security.token().get(),
                threads, seed, FuzzMethods.all()) : null;
        List<FuzzPlan.Step> steps = tls ? FuzzPlan.tls(tlsFuzz, this::n, sessionFrames, hold, handshakeTimeout)
                : FuzzPlan.plaintext(new ProtocolFuzz(endpoint.host(), endpoint.port(), threads, seed, FuzzMethods.all()), this::n, hold);
        try (DroverClient client = DroverClient.builder().endpoints(endpoint.toString()).credentials(cluster.credentials())
                .callTimeout(Duration.ofSeconds(5)).retryDeadline(Duration.ofSeconds(30)).build()) {
            waitFor(Duration.ofSeconds(60), () -> client.agents().size() == 1);
            long firstEpoch = leaderEpoch(cluster, endpoint).orElseThrow();
            long epoch = firstEpoch;
            runJob(client);
            ProcessProbe before = ProcessProbe.of(coordinator.pid());
            long logBefore = Files.size(coordinator.log());
            List<String> lines = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            long frames = 0;
            long connections = 0;
            long inSession = 0;
            for (FuzzPlan.Step step : steps) {
                long[] probeMillis = {-1};
                ProcessProbe from = ProcessProbe.light(coordinator.pid());
                FuzzPlan.Outcome outcome = step.run(() -> probeMillis[0] = timeHello(cluster, endpoint));
                ProcessProbe to = coordinator.isAlive() ? ProcessProbe.light(coordinator.pid()) : new ProcessProbe(0, 0, 0);
                frames += outcome.frames();
                connections += outcome.connections();
                inSession += outcome.inSession() ? outcome.frames() : 0;
                String health = health(client, cluster, coordinator, endpoint, epoch);
                // Judge each kind on its own: the next one starts from whatever epoch this one left.
                epoch = leaderEpoch(cluster, endpoint).orElse(epoch);
                String line = outcome.line() + (outcome.frames() > 0 ? "" : " hello_during_ms=" + probeMillis[0])
                        + String.format(Locale.ROOT, " rss_kb=%d->%d threads=%d->%d", from.rssKb(), to.rssKb(), from.threads(), to.threads())
                        + " after: " + health;
                lines.add(line);
                outcome.failure().ifPresent(failures::add);
                if (!health.startsWith("ok")) {
                    failures.add(line.substring(0, line.indexOf(' ')) + ": " + health);
                }
                System.out.println(line);
            }
            ProcessProbe after = coordinator.isAlive() ? ProcessProbe.of(coordinator.pid()) : new ProcessProbe(0, 0, 0);
            if (Files.readString(coordinator.log()).contains("OutOfMemoryError")) {
                failures.add("OutOfMemoryError in the coordinator's log");
            }
            heapGrowth(before, after).ifPresent(failures::add);
            long logBytes = Files.size(coordinator.log()) - logBefore;
            return new FuzzVerdict(tls ? "tls" : "plaintext", frames, connections, inSession,
                    tlsFuzz == null ? 0 : tlsFuzz.handshakes(), epoch - firstEpoch, lines, before, after, logBytes, failures);
        }
    }

    /** Within 10% of the start, with a floor of 16 MiB of growth: a 1 MiB heap doubling is noise, not a leak. */
    private static Optional<String> heapGrowth(ProcessProbe before, ProcessProbe after) {
        double ratio = before.heapUsedKbAfterGc() == 0 ? 0 : (double) after.heapUsedKbAfterGc() / before.heapUsedKbAfterGc();
        if (ratio > 1.10 && after.heapUsedKbAfterGc() - before.heapUsedKbAfterGc() > 16 * 1024) {
            return Optional.of(String.format(Locale.ROOT, "heap after GC %d KB, %.0f%% of the %d KB at the start",
                    after.heapUsedKbAfterGc(), ratio * 100, before.heapUsedKbAfterGc()));
        }
        return Optional.empty();
    }

    private int n(int base) {
        return Math.max(1, (int) Math.round(base * scale));
    }

    /**
     * "ok", or what is wrong: not alive, not leading within {@link #ANSWER_WITHIN}, a new epoch, no job
     * run. A hello answered late (the coordinator may still be working off handshakes a kind left
     * queued) passes, with its delay: "ok hello_after_ms=1800".
     */
    private static String health(DroverClient client, ProcessCluster cluster, DroverProcess coordinator, Endpoint endpoint,
                                 long epoch) {
        long t0 = System.nanoTime();
        long deadline = t0 + ANSWER_WITHIN.toNanos();
        Optional<Long> now = leaderEpoch(cluster, endpoint);
        while (now.isEmpty() && coordinator.isAlive() && System.nanoTime() < deadline) {
            now = leaderEpoch(cluster, endpoint); // each try waits up to about a second for its answer
        }
        long helloMillis = (System.nanoTime() - t0) / 1_000_000;
        if (!coordinator.isAlive()) {
            return "coordinator process ended";
        }
        if (now.isEmpty()) {
            return "coordinator does not answer hello as leader within " + ANSWER_WITHIN.toSeconds() + " s";
        }
        if (now.get() != epoch) {
            return "leadership changed: epoch " + epoch + " -> " + now.get();
        }
        try {
            runJob(client);
        } catch (RuntimeException e) {
            return "job did not run: " + e.getMessage();
        }
        return helloMillis > 1_000 ? "ok hello_after_ms=" + helloMillis : "ok";
    }

    private static void runJob(DroverClient client) {
        JobStatus end = client.submit(JobSpec.process(List.of("true")).shards(2).name("fuzz-probe").build())
                .await(Duration.ofSeconds(60));
        if (!end.state().name().equals("SUCCEEDED")) {
            throw new IllegalStateException("probe job ended " + end.state());
        }
    }

    private static Optional<Long> leaderEpoch(ProcessCluster cluster, Endpoint endpoint) {
        Optional<ServerInfo> info = cluster.hello(endpoint.toString());
        return info.filter(ServerInfo::isLeader).map(ServerInfo::getEpoch);
    }

    private static long timeHello(ProcessCluster cluster, Endpoint endpoint) {
        long t0 = System.nanoTime();
        return cluster.hello(endpoint.toString()).isPresent() ? (System.nanoTime() - t0) / 1_000_000 : -1;
    }
}
