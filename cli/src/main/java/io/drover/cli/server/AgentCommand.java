package io.drover.cli.server;

import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.protocol.CallDeadlines;
import io.drover.agent.AgentIdFile;
import io.drover.agent.AgentLimits;
import io.drover.cli.options.SizeConverter;
import io.drover.agent.contain.ContainmentMode;
import io.drover.agent.contain.ContainmentSettings;
import io.drover.agent.launch.LauncherMode;
import io.drover.agent.contain.TaskLimits;

import io.drover.agent.workers.WorkerSettings;
import io.drover.cli.options.DurationConverter;
import io.drover.protocol.Endpoint;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drover agent}: runs an agent in the foreground until SIGTERM or SIGINT.
 * The top-level {@code drover} command registers this as a subcommand.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Run a Drover agent: connect out to the coordinators, run the tasks they assign, report results.",
                "Runs in the foreground until SIGTERM or SIGINT; running tasks are then stopped and given back to the coordinator."})
public final class AgentCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(AgentCommand.class);
    private static final Duration CONNECT_NOTICE = Duration.ofSeconds(10);

    @Option(names = "--coordinators", paramLabel = "HOST:PORT[,HOST:PORT...]",
            defaultValue = "${env:DROVER_COORDINATORS:-127.0.0.1:7420}",
            description = "Coordinator endpoints (default: $DROVER_COORDINATORS, else ${DEFAULT-VALUE}).")
    String coordinators;

    @Option(names = "--id", paramLabel = "ID",
            description = "Agent id, unique in the cluster (default: the id stored in the work dir by an earlier start, "
                    + "else the host name and a hash of the work dir, e.g. node7-k3qa). The id is stored in the work dir, so a restart keeps it and its unacknowledged results.")
    String id;

    @Option(names = "--slots", paramLabel = "N", description = "Tasks run at once (default: number of processors).")
    Integer slots;

    @Option(names = "--queue-ahead", paramLabel = "N",
            description = {"Tasks accepted beyond --slots, started the moment a slot frees (default: as many as --slots).",
                    "Hides the round trip to the coordinator between short tasks. The agent shows slots + N as its",
                    "slots; a queued task may wait while another agent idles near a job's end: 0 for long tasks only."})
    Integer queueAhead;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Placement label; repeatable (e.g. --label zone=eu-1).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "./drover-agent-work",
            description = "Agent id, result journal, artifact cache and task working directories; one per agent (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--poll-wait", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long the coordinator may hold a poll open waiting for work (default: ${DEFAULT-VALUE}).")
    Duration pollWait;

    @Option(names = "--call-timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long to wait for a coordinator's answer to a call before trying the other coordinators; "
                    + "a parked poll gets --poll-wait plus --poll-margin, downloads their transfer time (default: ${DEFAULT-VALUE}).")
    Duration callTimeout;

    @Option(names = "--hello-timeout", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "How long a coordinator may take to answer the handshake on a new connection; a frozen one "
                    + "still accepts connections (default: ${DEFAULT-VALUE}).")
    Duration helloTimeout;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "How long to wait for a TCP connection to a coordinator (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--poll-margin", paramLabel = "DURATION", defaultValue = "3s", converter = DurationConverter.class,
            description = "How long past --poll-wait a parked poll may go unanswered (default: ${DEFAULT-VALUE}).")
    Duration pollMargin;

    @Option(names = "--worker-heap", paramLabel = "MB", defaultValue = "" + WorkerSettings.DEFAULT_HEAP_MB,
            description = "Heap (-Xmx) of a worker JVM for jobs that ask for no memory (memoryMb 0) (default: ${DEFAULT-VALUE}).")
    long workerHeapMb;

    @Option(names = "--worker-max-tasks", paramLabel = "N", defaultValue = "" + WorkerSettings.DEFAULT_MAX_TASKS,
            description = "A worker JVM is replaced after running this many tasks (default: ${DEFAULT-VALUE}).")
    int workerMaxTasks;

    @Option(names = "--worker-pipeline", paramLabel = "K", defaultValue = "" + WorkerSettings.DEFAULT_PIPELINE_DEPTH,
            description = {"Tasks in flight per worker JVM at most (1.." + WorkerSettings.MAX_PIPELINE_DEPTH + "; default: ${DEFAULT-VALUE}).",
                    "When every worker the slots allow is busy, a task queues in a busy worker and starts there the",
                    "moment the one before it ends. Takes effect with --queue-ahead; 1 = one task at a time."})
    int workerPipeline;

    @Option(names = "--worker-idle-timeout", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
            description = "A worker JVM idle this long is stopped (default: ${DEFAULT-VALUE}).")
    Duration workerIdleTimeout;

    @Option(names = "--worker-jvm-option", paramLabel = "OPTION",
            description = "Extra JVM option for every worker JVM, after Drover's own; repeatable (e.g. --worker-jvm-option=-XX:+UseParallelGC).")
    List<String> workerJvmOptions = new ArrayList<>();

    @Option(names = "--log-cap", paramLabel = "SIZE", defaultValue = "64MiB", converter = SizeConverter.class,
            description = "Per task attempt, bytes of stdout and of stderr kept; the rest is dropped and the output "
                    + "marked truncated (default: ${DEFAULT-VALUE}).")
    long logCap;

    @Option(names = "--log-retain", paramLabel = "SIZE", defaultValue = "2GiB", converter = SizeConverter.class,
            description = "Total size of finished tasks' output kept; the oldest attempts are removed first (default: ${DEFAULT-VALUE}).")
    long logRetain;

    @Option(names = "--log-retain-age", paramLabel = "DURATION", defaultValue = "7d", converter = DurationConverter.class,
            description = "Finished tasks' output older than this is removed (default: ${DEFAULT-VALUE}).")
    Duration logRetainAge;

    @Option(names = "--artifact-cache", paramLabel = "SIZE", defaultValue = "4GiB", converter = SizeConverter.class,
            description = "Total size of cached job jars; least recently used ones not in use are evicted (default: ${DEFAULT-VALUE}).")
    long artifactCache;

    @Option(names = "--max-result-size", paramLabel = "SIZE", defaultValue = "256MiB", converter = SizeConverter.class,
            description = "Largest result a task may return (a JVM task's encoded result, a process task's"
                    + " DROVER_RESULT_FILE); results over 64 KiB are stored on the coordinator in chunks, larger ones"
                    + " than this fail the task at once (default: ${DEFAULT-VALUE}, at most 1GiB).")
    long maxResultSize;

    @Option(names = "--inline-result-size", paramLabel = "SIZE", defaultValue = "64KiB", converter = SizeConverter.class,
            description = "Results up to this size travel inside the heartbeat; larger ones as blobs"
                    + " (default and maximum: ${DEFAULT-VALUE}).")
    long inlineResultSize;

    @Option(names = "--kill-grace", paramLabel = "DURATION", defaultValue = "3s", converter = DurationConverter.class,
            description = "A stopped task (timeout, cancel, shutdown) gets SIGTERM, then SIGKILL after this (default: ${DEFAULT-VALUE}).")
    Duration killGrace;

    @Option(names = "--containment", paramLabel = "auto|cgroup|tracked", defaultValue = "auto",
            description = {"How every process of a process task is kept within reach of timeouts and cancels: one cgroup",
                    "per attempt (needs a writable cgroup tree, e.g. root), or tracking (process group plus an",
                    "environment cookie found in /proc on stop); auto picks cgroup where it can (default: ${DEFAULT-VALUE})."})
    String containment;

    @Option(names = "--launcher", paramLabel = "auto|native|jdk", defaultValue = "auto",
            description = {"How process tasks start: native (lib/native/drover-launch: one exec per task, every orphan",
                    "adopted by the attempt's reaper; the agent refuses to start without it), jdk (ProcessBuilder through",
                    "setsid), or auto: native where it is installed and works (default: ${DEFAULT-VALUE})."})
    String launcher;

    @Option(names = "--memory-limit", paramLabel = "SIZE", defaultValue = "0", converter = SizeConverter.class,
            description = "Memory of each process task attempt, all its processes together; over it the kernel kills one"
                    + " and the attempt fails 'killed: over its memory limit'. Needs cgroups; 0: none (default: ${DEFAULT-VALUE}).")
    long memoryLimit;

    @Option(names = "--pids-limit", paramLabel = "N", defaultValue = "0",
            description = "Processes and threads each process task attempt may have at once; forks beyond fail."
                    + " Needs cgroups; 0: none (default: ${DEFAULT-VALUE}).")
    long pidsLimit;

    @Option(names = "--http-listen", paramLabel = "HOST:PORT|off", defaultValue = "off",
            description = {"HTTP port with /metrics (Prometheus) and /health/live, /health/ready: plain HTTP without",
                    "authentication, so bind it to a private address only your scraper reaches (default: ${DEFAULT-VALUE})."})
    String httpListen;

    @picocli.CommandLine.Mixin
    JoinFlags join = new JoinFlags();

    @picocli.CommandLine.Mixin
    TlsFlags tls = new TlsFlags();

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig config = config();
        java.util.Optional<java.net.InetSocketAddress> http;
        try {
            http = HttpListen.parse(httpListen);
        } catch (IllegalArgumentException e) {
            log.error("agent {}: {}", config.agentId(), e.getMessage());
            return 2;
        }
        AgentSecurity security;
        try {
            security = AgentSecurity.establish(config, tls, join);
        } catch (io.drover.agent.identity.EnrollmentRefusedException | IllegalArgumentException
                 | java.io.UncheckedIOException e) {
            log.error("agent {}: {}", config.agentId(), e.getMessage());
            return 2;
        } catch (io.drover.protocol.NoLeaderException e) {
            log.error("agent {}: cannot join: {}; start it again once a coordinator leads", config.agentId(), e.getMessage());
            return 2;
        }
        if (tls.insecure) {
            log.warn("agent {}: --insecure: plaintext to the coordinators, no certificate; anyone on the network can "
                    + "read its tasks and results or pose as a coordinator. For local experiments only.", config.agentId());
        }
        Agent agent;
        try {
            agent = new Agent(config, security.security());
        } catch (IllegalStateException e) {
            log.error("agent {}: {}", config.agentId(), e.getMessage());
            security.close();
            return 2;
        }
        io.drover.http.WebServer web = null;
        if (http.isPresent()) {
            io.prometheus.metrics.model.registry.PrometheusRegistry registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
            io.prometheus.metrics.instrumentation.jvm.JvmMetrics.builder().register(registry);
            agent.registerMetrics(registry);
            try {
                web = io.drover.agent.web.AgentWeb.start(http.get(), registry, agent);
            } catch (java.io.IOException e) {
                log.error("agent {}: cannot serve HTTP on {}: {}; choose another --http-listen, or 'off'", config.agentId(),
                        httpListen, e.getMessage());
                security.close();
                agent.close();
                return 2;
            }
            log.info("agent {}: HTTP: {} (health /health/ready, Prometheus /metrics; unauthenticated: keep it private)",
                    config.agentId(), HttpListen.url(false, http.get().getAddress().isAnyLocalAddress() ? config.host()
                            : http.get().getHostString(), web.port()));
        }
        io.drover.http.WebServer webToClose = web;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (webToClose != null) {
                webToClose.close();
            }
            security.close();
            agent.close();
            stopped.countDown();
        }, "drover-agent-shutdown"));
        agent.start();
        if (!agent.awaitRegistered(CONNECT_NOTICE)) {
            log.warn("agent {}: no leading coordinator among {} has answered in {} s; still trying",
                    config.agentId(), config.coordinators(), CONNECT_NOTICE.toSeconds());
        }
        stopped.await();
        return 0;
    }

    /** The configuration these options describe, with defaults filled in. */
    AgentConfig config() {
        String host = localHostName();
        String agentId = id != null ? id : AgentIdFile.read(workDir).orElseGet(() -> defaultId(host, workDir));
        WorkerSettings workers = WorkerSettings.defaults().withDefaultHeapMb(workerHeapMb)
                .withMaxTasksPerWorker(workerMaxTasks).withIdleTimeout(workerIdleTimeout).withJvmOptions(workerJvmOptions)
                .withPipelineDepth(workerPipeline);
        int slotCount = slots != null ? slots : Runtime.getRuntime().availableProcessors();
        return new AgentConfig(agentId, host, Endpoint.parseList(coordinators),
                slotCount, labels, workDir, pollWait, null, workers,
                new AgentLimits(logCap, logRetain, logRetainAge, artifactCache, killGrace,
                        (int) Math.min(Integer.MAX_VALUE, inlineResultSize), maxResultSize),
                queueAhead != null ? queueAhead : AgentConfig.defaultQueueAhead(slotCount),
                new CallDeadlines(connectTimeout, helloTimeout, callTimeout, pollMargin, AgentConfig.DEFAULT_DEADLINES.retry()),
                new ContainmentSettings(ContainmentMode.parse(containment), new TaskLimits(memoryLimit, pidsLimit),
                        LauncherMode.parse(launcher)));
    }

    /**
     * A first start's id: the host name and 4 base32 characters of a hash of the absolute work dir,
     * e.g. {@code node7-k3qa}, so two agents on one host (each with its own work dir) never share an
     * id, and the same work dir always gives the same id. The agent stores it in the work dir.
     */
    static String defaultId(String host, Path workDir) {
        String hostId = idFromHostName(host);
        if (hostId.length() > 128 - 5) {
            hostId = hostId.substring(0, 128 - 5);
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256")
                    .digest(workDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        int bits = ((hash[0] & 0xff) << 12) | ((hash[1] & 0xff) << 4) | ((hash[2] & 0xff) >>> 4); // 20 bits
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder suffix = new StringBuilder(4);
        for (int shift = 15; shift >= 0; shift -= 5) {
            suffix.append(alphabet.charAt((bits >>> shift) & 31));
        }
        return hostId + "-" + suffix;
    }

    /** The host name made into a valid id. */
    static String idFromHostName(String host) {
        String id = host.replaceAll("[^A-Za-z0-9._-]", "-");
        return id.length() > 128 ? id.substring(0, 128) : id;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String fromEnv = System.getenv("HOSTNAME");
            log.debug("cannot resolve the local host name ({}); using {}", e.getMessage(), fromEnv);
            return fromEnv != null && !fromEnv.isBlank() ? fromEnv : "localhost";
        }
    }
}
