package io.drover.bench;

import static io.drover.bench.BenchSupport.pause;
import static io.drover.bench.BenchSupport.waitFor;
import static io.drover.cli.demo.Directories.deleteTree;

import io.drover.bench.cluster.ProcessCluster;
import io.drover.coordinator.EmbeddedZooKeeper;
import io.drover.sdk.DroverClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover bench-agent-memory}: the resident memory of an idle agent. A real agent process,
 * started through {@code bin/drover agent} exactly as an operator (or the Ansible role) starts one,
 * joins a real coordinator (embedded ZooKeeper), gets no work, and once it is ALIVE its
 * {@code VmRSS} is read from {@code /proc/PID/status} every second for the settle time, and at the end its
 * {@code Pss} from {@code /proc/PID/smaps_rollup}. Each
 * variant runs in turn: {@code defaults} (the agent flags bin/drover applies) and {@code jvm-defaults}
 * ({@code DROVER_AGENT_JAVA_OPTS=""}: the plain JVM, as agents ran before), plus {@code --opts}.
 */
@Command(name = "bench-agent-memory", mixinStandardHelpOptions = true,
        description = {"Resident memory (VmRSS) of an idle agent started through bin/drover, connected to a coordinator.",
                "One line per variant: variant=V rss_mb=R pss_mb=P max_rss_mb=M threads=T opts=\"...\""})
public final class AgentMemoryBenchCommand implements Callable<Integer> {
    @Option(names = "--settle", defaultValue = "60", description = "Seconds to sample after the agent is ALIVE; "
            + "the figure is the last sample. Default: ${DEFAULT-VALUE}")
    int settleSeconds;

    @Option(names = "--opts", paramLabel = "\"JVM OPTIONS\"", description = "Also measure with DROVER_AGENT_JAVA_OPTS set to this (repeatable).")
    List<String> extraOpts = new ArrayList<>();

    @Option(names = "--insecure", description = "Plaintext coordinator and agent (no TLS, no join token).")
    boolean insecure;

    @Override
    public Integer call() throws IOException {
        String home = System.getProperty("drover.home");
        if (home == null || !Files.isExecutable(Path.of(home, "bin", "drover"))) {
            System.err.println("bench-agent-memory: run it through bin/drover (drover.home names the installation whose "
                    + "bin/drover starts the agent)");
            return 2;
        }
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("defaults", null);
        variants.put("jvm-defaults", "");
        for (int i = 0; i < extraOpts.size(); i++) {
            variants.put("opts-" + (i + 1), extraOpts.get(i));
        }
        Path dir = Files.createTempDirectory("drover-bench-agent-memory-");
        try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dir.resolve("zk"), 0);
             ProcessCluster cluster = BenchSupport.processCluster(zk.connectString(), dir, "5s", insecure).startCoordinators(1);
             DroverClient client = DroverClient.builder().endpoints(cluster.endpoints()).credentials(cluster.credentials())
                     .retryDeadline(Duration.ofSeconds(60)).build()) {
            waitFor(Duration.ofSeconds(60), () -> cluster.leader().isPresent());
            int n = 0;
            for (Map.Entry<String, String> v : variants.entrySet()) {
                measure(client, cluster, dir, Path.of(home, "bin", "drover"), "mem-" + (++n), v.getKey(), v.getValue());
            }
        } finally {
            deleteTree(dir);
        }
        return 0;
    }

    private void measure(DroverClient client, ProcessCluster cluster, Path dir, Path drover, String id, String variant,
                         String opts) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(drover.toString(), "agent", "--coordinators", cluster.endpoints(),
                "--id", id, "--slots", "4", "--work-dir", dir.resolve(id).toString()));
        cmd.addAll(cluster.agentArgs());
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(id + ".log").toFile()));
        ProcessCluster.inheritedSettings().forEach(builder.environment()::remove);
        builder.environment().remove("DROVER_JAVA_OPTS"); // this benchmark's own JVM options are not the agent's
        builder.environment().remove("DROVER_AGENT_JAVA_OPTS");
        builder.environment().putAll(cluster.agentEnvironment());
        if (opts != null) {
            builder.environment().put("DROVER_AGENT_JAVA_OPTS", opts);
        }
        Process agent = builder.start();
        boolean registered = false;
        try {
            try {
                waitFor(Duration.ofSeconds(120), () -> client.agents().stream()
                        .anyMatch(a -> a.agentId().equals(id) && a.state().equals("ALIVE")));
            } catch (IllegalStateException e) {
                throw new IllegalStateException("agent " + variant + " did not join within 120 s; its log ends: "
                        + tail(dir.resolve(id + ".log")), e);
            }
            registered = true;
            long rss = 0;
            long max = 0;
            for (int s = 0; s < settleSeconds; s++) {
                pause(1_000);
                rss = statusField(agent.pid(), "VmRSS");
                max = Math.max(max, rss);
            }
            System.out.printf(Locale.ROOT, "variant=%s rss_mb=%.1f pss_mb=%.1f max_rss_mb=%.1f threads=%d opts=\"%s\"%n", variant,
                    rss / 1024.0, pss(agent.pid()) / 1024.0, max / 1024.0, statusField(agent.pid(), "Threads"),
                    opts == null ? "(bin/drover's agent defaults)" : opts);
        } finally {
            agent.destroy();
            try {
                if (!agent.waitFor(15, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                agent.destroyForcibly();
            }
            if (registered) {
                client.forgetAgent(id);
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Proportional set size in kB (/proc/PID/smaps_rollup): the resident pages with those shared with other
     * processes (libjvm, the JDK's class archive, other JVMs' copies) divided among them. RSS counts them whole.
     */
    static long pss(long pid) {
        Path rollup = Path.of("/proc", Long.toString(pid), "smaps_rollup");
        try {
            for (String line : Files.readAllLines(rollup)) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
                }
            }
            throw new IllegalStateException(rollup + " has no Pss");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + rollup + " (is the agent still running?)", e);
        }
    }

    /** A numeric field of /proc/PID/status (kB for the memory ones). */
    static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
            throw new IllegalStateException("/proc/" + pid + "/status has no " + field);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + "/status (is the agent still running?)", e);
        }
    }
}
