package io.drover.bench.fuzz;

import static io.drover.bench.BenchSupport.waitFor;
import static io.drover.cli.demo.Directories.deleteTree;

import io.drover.bench.cluster.DroverProcess;
import io.drover.bench.cluster.ProcessCluster;
import io.drover.cli.options.DurationConverter;
import io.drover.coordinator.EmbeddedZooKeeper;
import io.drover.protocol.Endpoint;
import io.drover.protocol.thrift.ServerInfo;
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
 * {@code drover bench-fuzz}: about 100,000 malformed frames of every kind against a real
 * coordinator process (256 MiB heap, as in the system tests) with one agent. After each kind the
 * coordinator must still lead in the same epoch and run a job; at the end its heap after a full GC
 * is compared with the start. Prints a line per kind and a verdict; exit code 1 when it failed.
 */
@Command(name = "bench-fuzz", mixinStandardHelpOptions = true,
        description = "Malformed-frame fuzzing of a real coordinator: frames sent, whether it kept leading and serving, memory before and after.")
public final class FuzzBenchCommand implements Callable<Integer> {
    @Option(names = "--scale", defaultValue = "1.0", description = "Multiplies every kind's frame count (1.0 = about 100,000 frames). Default: ${DEFAULT-VALUE}")
    double scale;

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
             // Plaintext: the frames reach the Thrift decoder, which is what this fuzzes.
             ProcessCluster cluster = new ProcessCluster(zk.connectString(), dir, "3s").insecure()
                     .startCoordinators(1).startAgents(1, 2)) {
            waitFor(Duration.ofSeconds(60), () -> cluster.leader().isPresent());
            DroverProcess coordinator = cluster.coordinators().get(0);
            Endpoint endpoint = Endpoint.parse(cluster.endpointOf(coordinator));
            FuzzVerdict verdict = run(cluster, coordinator, endpoint);
            System.out.println(verdict);
            return verdict.passed() ? 0 : 1;
        } finally {
            deleteTree(dir);
        }
    }

    /** The whole run against {@code coordinator}; also what the system test calls. */
    public FuzzVerdict run(ProcessCluster cluster, DroverProcess coordinator, Endpoint endpoint) throws Exception {
        try (DroverClient client = DroverClient.builder().endpoints(endpoint.toString()).credentials(cluster.credentials())
                .callTimeout(Duration.ofSeconds(5)).retryDeadline(Duration.ofSeconds(30)).build()) {
            waitFor(Duration.ofSeconds(60), () -> client.agents().size() == 1);
            long firstEpoch = leaderEpoch(cluster, endpoint).orElseThrow();
            long epoch = firstEpoch;
            runJob(client);
            ProcessProbe before = ProcessProbe.of(coordinator.pid());
            long logBefore = Files.size(coordinator.log());
            ProtocolFuzz fuzz = new ProtocolFuzz(endpoint.host(), endpoint.port(), threads, seed, FuzzMethods.all());
            List<String> lines = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            long frames = 0;
            for (FuzzKind kind : FuzzKind.values()) {
                lastFrames = 0;
                String result;
                long[] probeMillis = {-1};
                Runnable probe = () -> probeMillis[0] = timeHello(cluster, endpoint);
                switch (kind) {
                    case RANDOM_BYTES -> result = count(fuzz.randomBytes(n(35_000)));
                    case WRONG_FIELD_TYPES -> result = count(fuzz.wrongFieldTypes(n(20_000)));
                    case MISSING_FIELDS -> result = count(fuzz.missingFields(n(200)));
                    case DEEP_NESTING -> result = count(fuzz.deepNesting(n(1_000), 20_000));
                    case GIANT_CLAIMS -> result = count(fuzz.giantClaims(n(10_000)));
                    case BAD_LENGTHS -> result = count(fuzz.badLengths(n(20_000)));
                    case TRUNCATED -> result = count(fuzz.truncated(n(10_000)));
                    case IDLE -> result = fuzz.hold("idle", 64, 0, hold.toMillis(), probe) + " hello_during_ms=" + probeMillis[0];
                    case SLOW -> result = fuzz.hold("slow", 16, 0, hold.toMillis(), probe) + " hello_during_ms=" + probeMillis[0];
                    case STARVE -> result = fuzz.hold("starve", 64, 16 * 1024 * 1024 - 1, hold.toMillis(), probe)
                            + " hello_during_ms=" + probeMillis[0];
                    default -> throw new IllegalStateException(kind.name());
                }
                frames += lastFrames;
                String health = health(client, cluster, coordinator, endpoint, epoch);
                // Judge each kind on its own: the next one starts from whatever epoch this one left.
                epoch = leaderEpoch(cluster, endpoint).orElse(epoch);
                lines.add(result + " after: " + health);
                if (!health.equals("ok")) {
                    failures.add(kind + ": " + health);
                }
                System.out.println(lines.get(lines.size() - 1));
            }
            ProcessProbe after = coordinator.isAlive() ? ProcessProbe.of(coordinator.pid()) : new ProcessProbe(0, 0, 0);
            boolean oom = Files.readString(coordinator.log()).contains("OutOfMemoryError");
            if (oom) {
                failures.add("OutOfMemoryError in the coordinator's log");
            }
            double heapRatio = before.heapUsedKbAfterGc() == 0 ? 0 : (double) after.heapUsedKbAfterGc() / before.heapUsedKbAfterGc();
            // Within 10% of the start, with a floor of 16 MiB of growth: a 1 MiB heap doubling is noise, not a leak.
            if (heapRatio > 1.10 && after.heapUsedKbAfterGc() - before.heapUsedKbAfterGc() > 16 * 1024) {
                failures.add(String.format(Locale.ROOT, "heap after GC %d KB, %.0f%% of the %d KB at the start",
                        after.heapUsedKbAfterGc(), heapRatio * 100, before.heapUsedKbAfterGc()));
            }
            long logBytes = Files.size(coordinator.log()) - logBefore;
            return new FuzzVerdict(frames, epoch - firstEpoch, lines, before, after, logBytes, failures);
        }
    }

    private long lastFrames;

    private String count(ProtocolFuzz.KindResult r) {
        lastFrames = r.frames();
        return r.toString();
    }

    private int n(int base) {
        return Math.max(1, (int) Math.round(base * scale));
    }

    /** "ok", or what is wrong: not alive, not leading, a new epoch, no job run. */
    private static String health(DroverClient client, ProcessCluster cluster, DroverProcess coordinator, Endpoint endpoint,
                                 long epoch) {
        if (!coordinator.isAlive()) {
            return "coordinator process ended";
        }
        Optional<Long> now = leaderEpoch(cluster, endpoint);
        if (now.isEmpty()) {
            return "coordinator does not answer hello as leader";
        }
        if (now.get() != epoch) {
            return "leadership changed: epoch " + epoch + " -> " + now.get();
        }
        try {
            runJob(client);
        } catch (RuntimeException e) {
            return "job did not run: " + e.getMessage();
        }
        return "ok";
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

    /** The kinds, in the order they run. */
    enum FuzzKind { RANDOM_BYTES, WRONG_FIELD_TYPES, MISSING_FIELDS, DEEP_NESTING, GIANT_CLAIMS, BAD_LENGTHS, TRUNCATED, IDLE, SLOW, STARVE }
}
