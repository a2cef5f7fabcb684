package io.drover.cli.server;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.EmbeddedZooKeeper;

import io.drover.coordinator.core.BackupPolicy;
import io.drover.coordinator.core.DisconnectPolicy;
import io.drover.coordinator.core.SchedulerConfig;
import io.drover.cli.options.DevDirectories;
import io.drover.cli.options.DurationConverter;
import io.drover.cli.options.SizeConverter;
import io.drover.coordinator.transport.TransportLimits;
import io.drover.coordinator.watchdog.ProcessExit;
import io.drover.coordinator.zk.ZkCredential;
import io.drover.protocol.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code drover coordinator}: runs one coordinator (leader or hot standby) until stopped. */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
        description = {"Run a coordinator. Several may run against one ZooKeeper ensemble: one leads, the others stand by",
                "and redirect callers to the leader. --dev starts an embedded single ZooKeeper server instead."})
public final class CoordinatorCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--zk", description = "ZooKeeper connect string, e.g. zk1:2181,zk2:2181,zk3:2181")
    String zk;

    @Option(names = "--dev", description = "Start an embedded ZooKeeper server (single node, for development)")
    boolean dev;

    @Option(names = "--zk-data-dir", paramLabel = "DIR", description = "Data dir of the embedded ZooKeeper (--dev only). "
            + "Default: $XDG_DATA_HOME/drover/dev-zk, else ~/.local/share/drover/dev-zk")
    Path zkDataDir;

    @Option(names = "--zk-auth-file", paramLabel = "FILE", description = {"ZooKeeper digest credential 'user:password' (one line,"
            + " mode 0600): the coordinator authenticates with it and every znode it creates is readable by that identity only.",
            "Without it the znodes are open (logged as a warning)."})
    Path zkAuthFile;

    @Option(names = "--secrets-dir", paramLabel = "DIR", defaultValue = "${env:DROVER_SECRETS_DIR}",
            description = {"The cluster's secrets directory, made once by 'drover ca init --dir DIR' and copied to every",
                    "coordinator (default: $DROVER_SECRETS_DIR; with --dev, one made for this user on first start).",
                    "TLS, tokens for clients, certificates for agents, encrypted job secrets and locked ZooKeeper",
                    "znodes all come from it. Without it, --insecure is required."})
    Path secretsDir;

    @Option(names = "--agent-cert-ttl", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
            description = "How long the certificates signed for agents are valid; agents renew at two thirds. Default: ${DEFAULT-VALUE}")
    java.time.Duration agentCertTtl;

    @Option(names = "--zk-root", defaultValue = "/drover", description = "Root znode of this cluster. Default: ${DEFAULT-VALUE}")
    String zkRoot;

    @Option(names = "--listen", defaultValue = "0.0.0.0:7420", description = "Address to listen on. Default: ${DEFAULT-VALUE}")
    String listen;

    @Option(names = "--http-listen", paramLabel = "HOST:PORT|off", defaultValue = "0.0.0.0:7421",
            description = {"HTTP port: /health/live and /health/ready (open), /metrics (Prometheus; a viewer token or better",
                    "when secure) and the web API. HTTPS with the coordinator's certificate unless --insecure; 'off' disables.",
                    "Default: ${DEFAULT-VALUE}"})
    String httpListen;

    @Option(names = "--advertise", description = "Host name agents and clients use to reach this coordinator (default: the listen host, or 127.0.0.1 for 0.0.0.0)")
    String advertise;

    @Option(names = "--session-timeout", defaultValue = "6s", description = "ZooKeeper session timeout (failover takes about this long). Default: ${DEFAULT-VALUE}")
    String sessionTimeout;

    @Option(names = "--suspect-after", defaultValue = "3s", description = "Agent silence before it gets no new work. Default: ${DEFAULT-VALUE}")
    String suspectAfter;

    @Option(names = "--lost-after", defaultValue = "10s", description = "Agent silence before its tasks are re-run elsewhere. Default: ${DEFAULT-VALUE}")
    String lostAfter;

    @Option(names = "--disconnect-grace", defaultValue = "1s", description = "After an agent's connection drops, how long before its tasks run elsewhere. Default: ${DEFAULT-VALUE}")
    String disconnectGrace;

    @Option(names = "--backup-factor", defaultValue = "3",
            description = {"Straggler backups (jobs that allow them): a task running longer than this many times its job's",
                    "median task time, and at least --backup-floor, gets a backup attempt on an idle agent. Default: ${DEFAULT-VALUE}"})
    double backupFactor;

    @Option(names = "--backup-floor", defaultValue = "1s", converter = DurationConverter.class,
            description = "No task is a straggler before it has run this long. Default: ${DEFAULT-VALUE}")
    java.time.Duration backupFloor;

    @Option(names = "--retain-finished-jobs", defaultValue = "1000",
            description = {"Finished jobs the leader keeps for status, results and logs; older ones are forgotten (a job",
                    "that a waiting or running job depends on stays). Default: ${DEFAULT-VALUE}"})
    int retainFinishedJobs;

    @Option(names = "--retain-finished-tasks", defaultValue = "2000000",
            description = {"And at most about this many tasks in those jobs together (each costs leader memory and",
                    "snapshot bytes; the newest finished job stays whatever its size). Default: ${DEFAULT-VALUE}"})
    long retainFinishedTasks;

    @Option(names = "--upload-expiry", defaultValue = "1h", description = {"An artifact upload left unfinished this long is "
            + "removed; a complete artifact no job or schedule refers to is removed once this old (checked every minute). "
            + "Default: ${DEFAULT-VALUE}"})
    String uploadExpiry;

    @Option(names = "--pool-policy", paramLabel = PoolPolicySpec.SYNTAX,
            description = {"Disconnect policy for agents labelled pool=POOL, repeatable: silence before their tasks run",
                    "elsewhere, grace after a dropped connection (default: the same), and whether the agent stops its",
                    "tasks after STOP_AFTER without contact (default: keeps running). E.g. --pool-policy edge=2h/30m/stop=4h.",
                    "Agents without a pool label use --lost-after and --disconnect-grace and keep running."})
    java.util.List<String> poolPolicies = new java.util.ArrayList<>();

    @Option(names = "--max-frame", paramLabel = "SIZE", defaultValue = "8MiB", converter = SizeConverter.class,
            description = "Largest request frame accepted; a larger claim closes its connection. Default: ${DEFAULT-VALUE}")
    long maxFrame;

    @Option(names = "--read-budget", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Request bytes all connections may hold at once (default: an eighth of the heap)")
    Long readBudget;

    @Option(names = "--frame-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "A request frame begun must arrive whole within this, or its connection is closed. Default: ${DEFAULT-VALUE}")
    java.time.Duration frameTimeout;

    @Option(names = "--idle-timeout", defaultValue = "120s", converter = DurationConverter.class,
            description = "A connection with no request in progress and no call running is closed after this. Default: ${DEFAULT-VALUE}")
    java.time.Duration idleTimeout;

    @Option(names = "--handshake-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "A TLS connection must finish its handshake within this, or it is closed. Default: ${DEFAULT-VALUE}")
    java.time.Duration handshakeTimeout;

    @Option(names = "--max-connections-per-address", defaultValue = "128",
            description = "Connections one remote address may hold; more are closed at accept. Default: ${DEFAULT-VALUE}")
    int maxConnectionsPerAddress;

    @Option(names = "--max-connections", defaultValue = "4096",
            description = "Connections in total; more are closed at accept. Default: ${DEFAULT-VALUE}")
    int maxConnections;

    @Option(names = "--step-down-after", defaultValue = "10s", converter = DurationConverter.class,
            description = {"Step down and exit (code 70) when the core loop or the RPC port has not worked for this long,",
                    "so a standby takes over; 0 disables. Default: ${DEFAULT-VALUE}"})
    java.time.Duration stepDownAfter;

    @picocli.CommandLine.Mixin
    TlsFlags tls = new TlsFlags();

    /** Sweeps every minute, or as often as the expiry if that is shorter. */
    static CoordinatorConfig.ArtifactRetention retention(java.time.Duration expiry) {
        java.time.Duration minute = java.time.Duration.ofMinutes(1);
        return new CoordinatorConfig.ArtifactRetention(expiry, expiry.compareTo(minute) < 0 ? expiry : minute);
    }

    /** Per user, not the working directory: a dev cluster keeps its jobs whichever directory it starts from. */
    static Path defaultDevDataDir(Map<String, String> env, String userHome) {
        return DevDirectories.of(env, userHome).zooKeeperData();
    }

    /** Where the embedded ZooKeeper (--dev) keeps its data. */
    Path devDataDir() {
        return (zkDataDir != null ? zkDataDir : defaultDevDataDir(System.getenv(), System.getProperty("user.home")))
                .toAbsolutePath();
    }

    @Override
    public Integer call() throws Exception {
        CoordinatorConfig config = config(); // every flag is checked before anything is created or started
        httpListen();
        java.util.Optional<ZkCredential> zkCredential = zkCredential();
        CoordinatorSecurity security = security();
        EmbeddedZooKeeper embedded = null;
        if (dev) {
            Path dataDir = devDataDir();
            Files.createDirectories(dataDir);
            embedded = new EmbeddedZooKeeper(dataDir, 0);
            config = config.withZkConnect(embedded.connectString());
            log.info("embedded ZooKeeper at {} (data in {})", embedded.connectString(), dataDir);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ProcessExit exit = new ProcessExit();
        ProcessExit.installFatalErrorHandler(exit);
        CoordinatorServer server = new CoordinatorServer(config, Clock.systemUTC()).onCannotServe(exit);
        security.apply(server, config, zkCredential);
        java.util.Optional<java.net.InetSocketAddress> http = httpListen();
        WebApiWiring web = new WebApiWiring(server, java.time.Clock.systemUTC());
        if (http.isPresent()) {
            io.prometheus.metrics.model.registry.PrometheusRegistry registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
            io.prometheus.metrics.instrumentation.jvm.JvmMetrics.builder().register(registry);
            // The JSON API and console (drover-web) join health and /metrics on the same port.
            java.util.function.Consumer<io.drover.http.Routes> webRoutes = web.installer();
            server.metricsRegistry(registry).withHttp(http.get(), webRoutes);
        }
        server.start();
        String advertised = config.advertiseHost();
        server.httpPort().ifPresent(port -> log.info("HTTP: {} (health /health/ready, Prometheus /metrics{})",
                HttpListen.url(server.httpsContext().isPresent(), advertised, port),
                server.httpsContext().isPresent() ? " with a viewer token" : ""));
        EmbeddedZooKeeper zkToClose = embedded;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            web.close();
            server.close();
            if (zkToClose != null) {
                zkToClose.close();
            }
            stopped.countDown();
        }, "drover-shutdown"));
        stopped.await();
        return 0;
    }

    /** The configuration the flags give (under --dev, ZooKeeper's address is filled in once it runs). */
    CoordinatorConfig config() {
        if ((zk == null) == !dev) {
            throw usage("give exactly one of --zk or --dev");
        }
        if (zkDataDir != null && !dev) {
            throw usage("--zk-data-dir is the embedded ZooKeeper's (--dev); with --zk the ensemble keeps the data");
        }
        try {
            Endpoint bind = Endpoint.parse(listen);
            String host = advertise != null ? advertise : bind.host().equals("0.0.0.0") ? "127.0.0.1" : bind.host();
            SchedulerConfig defaults = SchedulerConfig.defaults();
            SchedulerConfig scheduler = new SchedulerConfig(DurationConverter.parse(suspectAfter).toMillis(),
                    DurationConverter.parse(lostAfter).toMillis(), defaults.recoveryWindowMs(), defaults.backoffBaseMs(),
                    defaults.backoffMaxMs(), defaults.retainFinishedJobs(), DurationConverter.parse(disconnectGrace).toMillis());
            Map<String, DisconnectPolicy> pools = new LinkedHashMap<>();
            for (String spec : poolPolicies) {
                var entry = PoolPolicySpec.parse(spec);
                pools.put(entry.getKey(), entry.getValue());
            }
            return CoordinatorConfig.defaults(dev ? "embedded" : zk).withZkRoot(zkRoot)
                    .withListen(bind.host(), bind.port()).withAdvertiseHost(host)
                    .withSessionTimeout(DurationConverter.parse(sessionTimeout)).withScheduler(scheduler.withPools(pools)
                            .withBackups(backupPolicy()).withRetention(retainFinishedJobs, retainFinishedTasks))
                    .withTransport(transportLimits()).withStepDownAfter(stepDownAfter)
                    .withRetention(retention(DurationConverter.parse(uploadExpiry)));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** --backup-factor and --backup-floor over the default policy (5 and 10% of a job's shards finished first). */
    private BackupPolicy backupPolicy() {
        BackupPolicy d = BackupPolicy.defaults();
        return new BackupPolicy(backupFactor, backupFloor.toMillis(), d.minFinished(), d.minFinishedFraction());
    }

    /** The --http-listen address, or empty for 'off'; checked before anything starts. */
    java.util.Optional<java.net.InetSocketAddress> httpListen() {
        try {
            return HttpListen.parse(httpListen);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** Secure from the secrets directory (made for this user under --dev), or --insecure; checked before anything starts. */
    CoordinatorSecurity security() {
        try {
            if (tls.insecure) {
                if (secretsDir != null) {
                    throw usage("--insecure excludes --secrets-dir (and $DROVER_SECRETS_DIR): give one or the other");
                }
                tls.serverSettings(); // the TLS flags' own checks
                return CoordinatorSecurity.insecure();
            }
            Path dir = secretsDir != null ? secretsDir : dev ? DevDirectories.ofThisUser().secrets() : null;
            if (dir == null) {
                throw usage("give --secrets-dir DIR (made by 'drover ca init --dir DIR'; or $DROVER_SECRETS_DIR), "
                        + "or --insecure for a plaintext coordinator without authentication");
            }
            return CoordinatorSecurity.secure(dir.toAbsolutePath(), dev && secretsDir == null, tls, agentCertTtl);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** The --zk-auth-file credential; a file others may read, or a malformed one, is a usage error. */
    java.util.Optional<ZkCredential> zkCredential() {
        try {
            return zkAuthFile == null ? java.util.Optional.empty() : java.util.Optional.of(ZkCredential.readFile(zkAuthFile));
        } catch (IllegalArgumentException e) {
            throw usage("--zk-auth-file: " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message); // its stderr, not System.err
    }

    private TransportLimits transportLimits() {
        if (maxFrame > Integer.MAX_VALUE) {
            throw usage("--max-frame must be below 2GiB");
        }
        try {
            TransportLimits limits = TransportLimits.defaults().withMaxFrameBytes((int) maxFrame)
                    .withTimeouts(frameTimeout, idleTimeout).withConnectionCaps(maxConnectionsPerAddress, maxConnections)
                    .withHandshakeTimeout(handshakeTimeout);
            return readBudget == null ? limits : limits.withReadBudgetBytes(readBudget);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }
}
