package io.drover.coordinator;

import io.drover.coordinator.auth.TokenVerifier;
import io.drover.coordinator.auth.AccessPolicy;
import io.drover.coordinator.metrics.CoordinatorMetrics;
import io.drover.coordinator.web.ClusterInfo;
import io.drover.coordinator.web.CoordinatorWeb;
import io.drover.coordinator.web.TokenWhoami;
import io.drover.coordinator.web.Whoami;
import io.drover.http.Json;
import io.drover.http.Routes;
import io.drover.http.WebServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.drover.coordinator.agentid.AgentTrust;
import io.drover.coordinator.agentid.ZkAgentCertificates;
import io.drover.coordinator.engine.LoopMetrics;
import io.drover.coordinator.leader.LeaderElection;
import io.drover.coordinator.rpc.AuditTrail;
import io.drover.coordinator.rpc.ClientSecurity;
import io.drover.coordinator.rpc.EndpointSecurity;
import io.drover.coordinator.rpc.LogRelay;
import io.drover.coordinator.rpc.RpcEndpoints;
import io.drover.coordinator.rpc.RpcServer;
import io.drover.coordinator.schedule.QuartzTriggers;
import io.drover.coordinator.store.ZkAuditStore;
import io.drover.coordinator.store.ZkCoordinatorStore;
import io.drover.coordinator.watchdog.CoreLoopCheck;
import io.drover.coordinator.watchdog.RpcSelfProbe;
import io.drover.coordinator.watchdog.ServingWatchdog;
import io.drover.coordinator.sweep.ArtifactSweeper;
import io.drover.coordinator.secrets.SecretSealer;
import io.drover.coordinator.sweep.StoreSweeper;
import io.drover.coordinator.zk.AclUpgrade;
import io.drover.coordinator.zk.ZkClients;
import io.drover.coordinator.zk.ZkCredential;
import io.drover.protocol.tls.TlsSettings;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coordinator process's composition root: ZooKeeper client, store, Thrift server and leader
 * election, wired by constructor. Every coordinator serves Thrift; only the elected one leads.
 */
public final class CoordinatorServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorServer.class);
    private enum Lifecycle { LATENT, STARTED, CLOSED }

    private final CoordinatorConfig config;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicReference<Lifecycle> state =
            new java.util.concurrent.atomic.AtomicReference<>(Lifecycle.LATENT);
    private final LoopMetrics metrics = new LoopMetrics();
    private CuratorFramework zk;
    /** Work queued for the 4 I/O threads at most (each a client or agent call waiting on it). */
    private static final int IO_QUEUE_BOUND = 1024;
    private ExecutorService io;
    private java.util.concurrent.ScheduledExecutorService logTimer;
    private LogRelay logs;
    private AuditTrail audit;
    /** Empty: insecure, every client an admin (the default until the wiring passes a verifier). */
    private java.util.Optional<TokenVerifier> tokens = java.util.Optional.empty();
    private RpcServer rpc;
    private LeaderElection election;
    private ServingWatchdog watchdog;
    private Optional<ZkCredential> zkCredential = Optional.empty();
    private SecretSealer secrets = SecretSealer.unavailable();
    private ServingWatchdog.Exit exit = (code, why) ->
            log.error("an embedded coordinator does not exit the JVM (code {} asked for: {})", code, why);

    private final java.util.function.UnaryOperator<io.drover.coordinator.store.CoordinatorStore> storeDecorator;
    private AgentTrustFactory trustFactory = certificates -> AgentTrust.insecure();
    private ZkAgentCertificates agentCertificates;
    private TlsSettings tls = TlsSettings.insecure();
    private PrometheusRegistry registry = new PrometheusRegistry();
    private final java.util.concurrent.atomic.AtomicReference<String> zkState =
            new java.util.concurrent.atomic.AtomicReference<>("LATENT");
    private InetSocketAddress httpListen; // null: no HTTP port
    private java.util.function.Consumer<Routes> httpRoutes = routes -> { };
    private WebServer http;

    public CoordinatorServer(CoordinatorConfig config, Clock clock) {
        this(config, clock, java.util.function.UnaryOperator.identity());
    }

    /** With a decorator around the ZooKeeper store: for benchmarks that measure what durability costs. */
    public CoordinatorServer(CoordinatorConfig config, Clock clock,
                             java.util.function.UnaryOperator<io.drover.coordinator.store.CoordinatorStore> storeDecorator) {
        this.config = config;
        this.clock = clock;
        this.storeDecorator = storeDecorator;
    }

    /**
     * Serves TLS 1.3 with the server settings {@code serverTls}. An embedded coordinator's default is
     * {@link TlsSettings#insecure()} (plaintext, for tests); {@code drover coordinator} and the
     * demo are secure ({@code ClusterTrust.secure}). Call before {@link #start}.
     */
    public CoordinatorServer withTls(TlsSettings serverTls) {
        this.tls = java.util.Objects.requireNonNull(serverTls, "serverTls");
        return this;
    }

    /** What ends the process when the watchdog gives up; embedded coordinators only log. Call before {@link #start}. */
    public CoordinatorServer onCannotServe(ServingWatchdog.Exit exitAction) {
        this.exit = exitAction;
        return this;
    }

    /**
     * Clients must present an access token in hello, checked by {@code verifier}; their calls are
     * held to their role's permissions. Without this call the coordinator is insecure: every client is
     * an admin. Call before {@link #start}.
     */
    public CoordinatorServer requireTokens(TokenVerifier verifier) {
        this.tokens = java.util.Optional.of(verifier);
        return this;
    }

    /** Builds how agents are known once ZooKeeper is connected (their certificates are kept there). */
    @FunctionalInterface
    public interface AgentTrustFactory {
        AgentTrust create(ZkAgentCertificates certificates);
    }

    /** How agents are known (default: insecure, by the name they announce). Call before {@link #start}. */
    public CoordinatorServer agentTrust(AgentTrustFactory factory) {
        this.trustFactory = factory;
        return this;
    }

    /**
     * The coordinators' ZooKeeper digest credential: the session authenticates with it and every znode
     * created carries an ACL for it alone. Without one, znodes are open (logged at WARN). Call before {@link #start}.
     */
    public CoordinatorServer zooKeeperCredential(ZkCredential credential) {
        this.zkCredential = Optional.of(credential);
        return this;
    }

    /** Seals job secrets before they are stored; without one, secret environments are refused. Call before {@link #start}. */
    public CoordinatorServer secretSealer(SecretSealer sealer) {
        this.secrets = java.util.Objects.requireNonNull(sealer, "sealer");
        return this;
    }

    /** Where this coordinator's metrics go (the process's registry; never Prometheus' global default). Call before {@link #start}. */
    public CoordinatorServer metricsRegistry(PrometheusRegistry r) {
        this.registry = java.util.Objects.requireNonNull(r, "registry");
        return this;
    }

    /**
     * Serves health, {@code /metrics} and what {@code more} adds (the web API) over HTTP on {@code listen}
     * (port 0 picks one): HTTPS with the server certificate when secure. Call before {@link #start}.
     */
    public CoordinatorServer withHttp(InetSocketAddress listen, java.util.function.Consumer<Routes> more) {
        this.httpListen = java.util.Objects.requireNonNull(listen, "listen");
        this.httpRoutes = java.util.Objects.requireNonNull(more, "more");
        return this;
    }

    public CoordinatorServer start() {
        if (!state.compareAndSet(Lifecycle.LATENT, Lifecycle.STARTED)) {
            throw new IllegalStateException("coordinator already started or closed");
        }
        int sessionMs = (int) config.zkSessionTimeout().toMillis();
        zk = ZkClients.create(config.zkConnect(), config.zkSessionTimeout(), zkCredential);
        zk.getConnectionStateListenable().addListener((client, newState) -> zkState.set(newState.name()));
        zk.start();
        io.drover.coordinator.store.CoordinatorStore store = storeDecorator.apply(new ZkCoordinatorStore(zk, config.zkRoot()));
        AtomicInteger ioThreads = new AtomicInteger();
        // Bounded: large answers and artifact transfers wait here; past the bound callers hear "busy, retry".
        io = new java.util.concurrent.ThreadPoolExecutor(4, 4, 0, java.util.concurrent.TimeUnit.MILLISECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(IO_QUEUE_BOUND), r -> {
                    Thread t = new Thread(r, "drover-io-" + ioThreads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        // Bind first: the advertised endpoint carries the real port when listenPort is 0.
        Holder holder = new Holder();
        logTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "drover-log-relay");
            t.setDaemon(true);
            return t;
        });
        logs = new LogRelay(logTimer);
        audit = new AuditTrail(new ZkAuditStore(zk, config.zkRoot()));
        var clientSecurity = tokens.map(v -> ClientSecurity.tokens(v, audit, clock))
                .orElseGet(() -> ClientSecurity.insecure(audit, clock));
        agentCertificates = new ZkAgentCertificates(zk, config.zkRoot());
        AgentTrust trust = trustFactory.create(agentCertificates);
        if (trust.secure()) {
            agentCertificates.start();
        }
        RpcEndpoints endpoints = RpcEndpoints.create(holder, io, config.maxArtifactBytes(), logs,
                new EndpointSecurity(clientSecurity, trust, secrets), clock);
        rpc = new RpcServer(new InetSocketAddress(config.listenHost(), config.listenPort()), endpoints, config.transport(), tls);
        String endpoint = config.advertiseHost() + ":" + rpc.port();
        election = new LeaderElection(zk, config.zkRoot(), endpoint, store, config.scheduler(), clock,
                config.tickMillis(), config.compactAfterFacts(), metrics,
                (name, loop) -> new QuartzTriggers(name, loop).start(),
                withAclUpgrade(ArtifactSweeper.factory(store, config.retention().uploadExpiry(),
                        config.retention().sweepInterval())));
        holder.set(election);
        CoordinatorMetrics.register(registry, new CoordinatorMetrics.Sources(
                metrics, election, () -> zk.getZookeeperClient().isConnected(), rpc.transport(), logs, audit));
        rpc.start();
        election.start();
        startWatchdog();
        startHttp();
        log.info("coordinator {} started (ZooKeeper {}{}, session timeout {} ms)", endpoint, config.zkConnect(),
                config.zkRoot(), sessionMs);
        return this;
    }

    private void startHttp() {
        if (httpListen == null) {
            return;
        }
        Json json = new Json();
        try {
            http = CoordinatorWeb.start(httpListen, httpsContext(),
                    CoordinatorWeb.routes(json, whoami(), this::clusterInfo, registry, httpRoutes), json);
        } catch (java.io.IOException e) {
            close();
            throw new java.io.UncheckedIOException("cannot serve HTTP on " + httpListen + ": " + e.getMessage()
                    + " (choose another --http-listen, or 'off')", e);
        }
    }

    /** With a credential, each term's leader first makes sure older znodes carry its ACL (once per cluster). */
    private StoreSweeper.Factory withAclUpgrade(StoreSweeper.Factory sweepers) {
        return zkCredential.map(c -> new AclUpgrade(zk, config.zkRoot(), c).before(sweepers)).orElse(sweepers);
    }

    private void startWatchdog() {
        if (config.stepDownAfter().isZero()) {
            return;
        }
        String host = config.listenHost();
        String probeHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        LeaderElection e = election;
        watchdog = new ServingWatchdog(() -> System.nanoTime() / 1_000_000,
                Map.of("core loop", new CoreLoopCheck(() -> e.activeTerm().isPresent(), metrics::turns, metrics::steps),
                        "rpc port", new RpcSelfProbe(probeHost, rpc.port(), 2_000, selfProbeTls())),
                config.stepDownAfter().toMillis(), e::close, exit).start(1_000);
    }

    /** How the watchdog's probe connects to this coordinator's own port: trusting its CA, as a client does. */
    private TlsSettings selfProbeTls() {
        return tls.ca().map(TlsSettings::client).orElse(TlsSettings.insecure());
    }

    /** "host:port" clients and agents use for this coordinator. */
    public String endpoint() {
        return election.coordinatorId();
    }

    public int port() {
        return rpc.port();
    }

    public boolean isLeader() {
        return election != null && election.isLeader();
    }

    /** Waits until this coordinator leads, up to {@code timeout}; false if it did not. */
    public boolean awaitLeadership(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isLeader()) {
            if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        return true;
    }

    /** The Thrift port's connections and read memory. */
    public io.drover.coordinator.transport.GuardedSelectorServer transport() {
        return rpc.transport();
    }

    /** The HTTP port's base URL ({@code https://host:port}), when it serves one. */
    public Optional<String> httpUrl() {
        return Optional.ofNullable(http).map(WebServer::baseUrl);
    }

    public Optional<Integer> httpPort() {
        return Optional.ofNullable(http).map(WebServer::port);
    }

    /** HTTPS with the coordinator's server certificate when it is secure; empty when insecure. */
    public Optional<javax.net.ssl.SSLContext> httpsContext() {
        return tls.isInsecure() ? Optional.empty() : Optional.of(tls.sslContext());
    }

    /** The CA HTTP clients on this machine trust for {@link #httpsContext()} (the web API's loopback calls). */
    public Optional<java.security.cert.X509Certificate> ca() {
        return tls.ca();
    }

    public PrometheusRegistry metricsRegistry() {
        return registry;
    }

    /** Who an HTTP caller is, by the same tokens and roles as the Thrift port. */
    public Whoami whoami() {
        return new TokenWhoami(tokens, AccessPolicy.standard(), clock);
    }

    /** The cluster as this coordinator sees it now; asks ZooKeeper for the election's participants. */
    public ClusterInfo clusterInfo() {
        LeaderElection e = election;
        if (e == null) {
            return new ClusterInfo("starting", false, 0, Optional.empty(), Optional.empty(),
                    zkState.get(), java.util.List.of(), clock.instant());
        }
        var term = e.activeTerm();
        Optional<String> leader = term.isPresent() ? Optional.of(e.coordinatorId()) : e.leaderHint();
        Optional<java.util.List<String>> standbys = e.participants().map(ids -> ids.stream()
                .filter(id -> leader.map(l -> !l.equals(id)).orElse(true)).toList());
        return new ClusterInfo(e.coordinatorId(), term.isPresent(),
                term.map(t -> t.epoch().value()).orElse(0L), leader, standbys, zkState.get(), e.history().changes(),
                clock.instant());
    }

    public LoopMetrics metrics() {
        return metrics;
    }

    /** Task output reads relayed to agents: counts for metrics and benchmarks. */
    public LogRelay logRelay() {
        return logs;
    }

    @Override
    public void close() {
        if (state.getAndSet(Lifecycle.CLOSED) != Lifecycle.STARTED) {
            return;
        }
        if (http != null) {
            http.close();
        }
        if (watchdog != null) {
            watchdog.close();
        }
        election.close();
        rpc.close();
        logTimer.shutdownNow();
        if (audit != null) {
            audit.close(); // before ZooKeeper closes: what is queued is written if this coordinator still leads
        }
        agentCertificates.close();
        io.shutdownNow();
        try {
            io.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        zk.close();
        log.info("coordinator {} stopped", endpoint());
    }

    /** Lets the handler exist before the election it asks (the election needs the bound port). */
    private static final class Holder implements io.drover.coordinator.leader.Leadership {
        private volatile io.drover.coordinator.leader.Leadership delegate;

        void set(io.drover.coordinator.leader.Leadership d) {
            delegate = d;
        }

        @Override
        public java.util.Optional<io.drover.coordinator.leader.LeaderTerm> activeTerm() {
            var d = delegate;
            return d == null ? java.util.Optional.empty() : d.activeTerm();
        }

        @Override
        public java.util.Optional<String> leaderHint() {
            var d = delegate;
            return d == null ? java.util.Optional.empty() : d.leaderHint();
        }

        @Override
        public String coordinatorId() {
            var d = delegate;
            return d == null ? "starting" : d.coordinatorId();
        }
    }
}
