package io.drover.cli.demo;

import io.drover.sdk.Codecs;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drover demo}: the whole system in one process, running the Monte Carlo pi example. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start embedded ZooKeeper, a coordinator and agents on loopback, run Monte Carlo pi with a reduce step, print the estimate.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--agents", defaultValue = "3", description = "Agents to start. Default: ${DEFAULT-VALUE}")
    int agents;

    @Option(names = "--shards", defaultValue = "64", description = "Shards of the pi job. Default: ${DEFAULT-VALUE}")
    int shards;

    @Option(names = "--samples", defaultValue = "2000000", description = "Samples per shard. Default: ${DEFAULT-VALUE}")
    long samples;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        quietLogs();
        long t0 = System.nanoTime();
        out.printf("Starting embedded ZooKeeper, a coordinator and %d agents on loopback...%n", agents);
        try (LocalCluster cluster = new LocalCluster(agents, 2)) {
            waitForLeader(cluster);
            out.printf("Secure: TLS 1.3 on every connection, a throwaway cluster CA (%s), agents with certificates,%n"
                    + "the client with the admin token.%n", cluster.secretsDir());
            out.printf("Coordinator %s is leader (%.1f s). Submitting Monte Carlo pi: %d shards x %,d samples + reduce%n",
                    cluster.endpoint(), (System.nanoTime() - t0) / 1e9, shards, samples);
            try (DroverClient client = DroverClient.builder().endpoints(cluster.endpoint()).credentials(cluster.credentials()).build()) {
                JobSpec spec = JobSpec.jvm(JobJars.examples(), "io.drover.examples.MonteCarloPi")
                        .name("demo-pi").shards(shards).arguments(Long.toString(samples)).reduce(true).build();
                JobHandle job = client.submit(spec);
                out.println("Job " + job.jobId() + " accepted.");
                boolean tty = System.console() != null;
                String[] last = {""};
                JobStatus end = job.await(Duration.ofMinutes(5), s -> {
                    String line = bar(s);
                    if (!line.equals(last[0])) {
                        last[0] = line;
                        if (tty) {
                            out.print("\r" + line);
                        } else {
                            out.println(line);
                        }
                    }
                });
                if (tty) {
                    out.println("\r" + bar(end));
                } else if (!bar(end).equals(last[0])) {
                    out.println(bar(end));
                }
                if (!end.state().name().equals("SUCCEEDED")) {
                    out.println("Job ended " + end.state() + ": " + end.error());
                    return 1;
                }
                long[] hitsAndSamples = job.result(Duration.ofSeconds(5), Codecs.int64Array());
                double pi = 4.0 * hitsAndSamples[0] / hitsAndSamples[1];
                out.printf("pi ~ %.6f from %,d samples (error %.2e); %d shards ran on %d agents in %.1f s total%n",
                        pi, hitsAndSamples[1], Math.abs(pi - Math.PI), shards, agents, (System.nanoTime() - t0) / 1e9);
                client.agents().forEach(a -> out.printf("  %-8s %-6s completed %d tasks%n", a.agentId(), a.state(), a.completedTasks()));
            }
        }
        return 0;
    }

    /** The demo's own lines tell the story; component logs stay at WARN unless DROVER_LOG_LEVEL says otherwise. */
    private static void quietLogs() {
        if (System.getenv("DROVER_LOG_LEVEL") == null
                && org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static void waitForLeader(LocalCluster cluster) {
        if (!cluster.coordinator().awaitLeadership(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the coordinator did not become leader within 30 s");
        }
    }

    static String bar(JobStatus s) {
        int width = 30;
        int filled = (int) Math.round(s.progress() * width);
        return String.format("[%s%s] %3.0f%%  %d/%d done, %d running  %s", "#".repeat(filled), ".".repeat(width - filled),
                s.progress() * 100, s.succeeded() + s.failed(), s.totalTasks(), s.running(), s.state());
    }
}
