package io.drover.bench;

import static io.drover.bench.BenchSupport.waitFor;
import static io.drover.cli.demo.Directories.deleteTree;

import io.drover.bench.cluster.ProcessCluster;
import io.drover.cli.demo.JobJars;
import io.drover.coordinator.EmbeddedZooKeeper;
import io.drover.protocol.Sha256;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover bench-results}: one large result end to end on real processes (embedded ZooKeeper, a
 * coordinator process, an agent process, a worker JVM): the job's shard returns {@code --size} bytes,
 * which travel as a blob in chunks to the coordinator and on into ZooKeeper, and back to this client.
 * The coordinator runs with a small heap ({@code --leader-heap}) and a GC log: its heap peak is the
 * largest heap occupancy the collector saw before any collection, which a leader holding the result
 * whole could not stay under. Figures, not assertions; timings on a shared machine are noisy.
 */
@Command(name = "bench-results", mixinStandardHelpOptions = true,
        description = "A large task result end to end (agent -> coordinator -> ZooKeeper -> client): time and the leader's heap peak.")
public final class ResultBenchCommand implements Callable<Integer> {
    private static final Pattern GC_LINE = Pattern.compile("\\) (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @Option(names = "--size", defaultValue = "100", description = "Result size in MiB. Default: ${DEFAULT-VALUE}")
    int sizeMib;

    @Option(names = "--leader-heap", defaultValue = "96m",
            description = "The coordinator's -Xmx: below the result's size shows it never holds the result whole. Default: ${DEFAULT-VALUE}")
    String leaderHeap;

    @Option(names = "--insecure", description = "Plaintext processes, no tokens or certificates.")
    boolean insecure;

    @Option(names = "--dependant-shards", defaultValue = "0",
            description = "Then run a job of this many shards that depends on the first and streams its result"
                    + " (io.drover.examples.UpstreamReport): the agent fetches the blob once for all of them. Default: ${DEFAULT-VALUE}")
    int dependantShards;

    @Option(names = "--isolation", defaultValue = "worker",
            description = "Where the task runs: worker (a worker JVM), in-agent (the agent's JVM) or process (a shell"
                    + " command writing DROVER_RESULT_FILE). Default: ${DEFAULT-VALUE}")
    String isolation;

    @Override
    public Integer call() throws Exception {
        spec("0".repeat(64)); // a bad --isolation fails before any process starts
        Path dir = Files.createTempDirectory("drover-bench-results-");
        Path gcLog = dir.resolve("coordinator-gc.log");
        try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir.resolve("zk"), 0);
             ProcessCluster cluster = BenchSupport.processCluster(zk.connectString(), dir, "10s", insecure)
                     .coordinatorJvmOptions("-Xmx" + leaderHeap, "-Xlog:gc:file=" + gcLog)
                     .startCoordinators(1).startAgents(1, 1)) {
            waitFor(Duration.ofSeconds(60), () -> cluster.leader().isPresent());
            try (DroverClient client = DroverClient.builder().endpoints(cluster.endpoints()).credentials(cluster.credentials())
                    .retryDeadline(Duration.ofSeconds(60)).build()) {
                waitFor(Duration.ofSeconds(60), () -> client.agents().size() == 1);
                String sha = client.uploadArtifact(JobJars.examples());
                long t0 = System.nanoTime();
                JobHandle job = client.submit(spec(sha));
                JobStatus end = job.await(Duration.ofMinutes(10));
                long committedMs = (System.nanoTime() - t0) / 1_000_000;
                if (end.state() != JobState.SUCCEEDED) {
                    System.out.println("bench-results: the job ended " + end.state() + ": " + end.error());
                    return 1;
                }
                long t1 = System.nanoTime();
                HashingSink sink = new HashingSink();
                long bytes = job.writeResult(sink);
                long readMs = (System.nanoTime() - t1) / 1_000_000;
                String expected = job.storedResult().map(r -> r.sha256()).orElse("(inline)");
                System.out.printf(Locale.ROOT, "isolation=%s result_bytes=%d submit_to_succeeded_ms=%d read_back_ms=%d hash_ok=%b"
                                + " leader_xmx=%s leader_heap_peak_mb=%d%n", isolation, bytes, committedMs, readMs,
                        Sha256.hex(sink.digest).equals(expected), leaderHeap, heapPeakMb(gcLog));
                if (dependantShards > 0) {
                    return dependant(client, sha, job.jobId(), expected, gcLog);
                }
            }
        } finally {
            deleteTree(dir);
        }
        return 0;
    }

    /** A job of {@code --dependant-shards} shards after the first: each streams the upstream blob and hashes it. */
    private int dependant(DroverClient client, String artifact, String upstream, String expected, Path gcLog)
            throws IOException {
        long t0 = System.nanoTime();
        JobHandle job = client.submit(JobSpec.jvmArtifact(artifact, "io.drover.examples.UpstreamReport")
                .name("bench-results-dependant").shards(dependantShards).dependsOn(upstream).build());
        JobStatus end = job.await(Duration.ofMinutes(10));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (end.state() != JobState.SUCCEEDED) {
            System.out.println("bench-results: the dependant ended " + end.state() + ": " + end.error());
            return 1;
        }
        boolean ok = job.shardResults(Duration.ZERO, io.drover.sdk.Codecs.utf8()).stream()
                .allMatch(r -> r.contains("\t" + expected + "\n"));
        System.out.printf(Locale.ROOT, "dependant_shards=%d dependant_submit_to_succeeded_ms=%d upstream_hash_ok=%b"
                + " leader_heap_peak_mb=%d%n", dependantShards, ms, ok, heapPeakMb(gcLog));
        return ok ? 0 : 1;
    }

    private JobSpec spec(String sha) {
        return switch (isolation) {
            case "worker", "in-agent" -> {
                JobSpec.Builder b = JobSpec.jvmArtifact(sha, "io.drover.examples.BigResult").name("bench-results")
                        .arguments(sizeMib + "MiB").memoryMb(Math.max(512, 3 * sizeMib + 256));
                yield (isolation.equals("in-agent") ? b.isolation(io.drover.sdk.Isolation.IN_AGENT) : b).build();
            }
            case "process" -> JobSpec.process(java.util.List.of("/bin/sh", "-c",
                    "head -c " + (long) sizeMib * 1024 * 1024 + " /dev/urandom > \"$DROVER_RESULT_FILE\""))
                    .name("bench-results").build();
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--isolation must be worker, in-agent or process, not " + isolation);
        };
    }

    /** The largest heap occupancy (MiB) in the GC log's pause lines ("...) 24M->5M(64M) ..."), before or after. */
    static long heapPeakMb(Path gcLog) throws IOException {
        long peak = -1;
        if (!Files.exists(gcLog)) {
            return peak;
        }
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                peak = Math.max(peak, Math.max(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
            }
        }
        return peak;
    }

    /** Hashes what it is given and keeps nothing. */
    private static final class HashingSink extends OutputStream {
        final MessageDigest digest = Sha256.newDigest();

        @Override
        public void write(int b) {
            digest.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }
    }
}
