package io.drover.bench.cluster;

import io.drover.coordinator.zk.ZkClients;
import io.drover.protocol.CallDeadlines;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.Endpoint;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.droverConstants;
import io.drover.protocol.tls.ClientSecurity;
import io.drover.sdk.Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;

/**
 * Coordinators and agents as separate processes on loopback, for fault tests and benchmarks
 * that kill, pause and restart them. ZooKeeper is given (an ensemble or a single server).
 *
 * <p>Secure by default, as production is: the first process started (or the first ask for
 * credentials) makes a secrets directory in {@code <dir>/secrets}; coordinators run with
 * {@code --secrets-dir}, agents join with {@code --ca-file} and one join token, and clients use
 * {@link #credentials()} (SDK), {@link #clientSecurity()} (raw Thrift), {@link #cliEnvironment()}
 * (CLI processes) or {@link #cliFlags()} (the CLI in this JVM). {@link #insecure()} gives the
 * plaintext baseline instead.
 */
public final class ProcessCluster implements AutoCloseable {
    private final String zkConnect;
    private final Path dir;
    private final List<DroverProcess> coordinators = new ArrayList<>();
    private final List<String> coordinatorEndpoints = new ArrayList<>();
    private final List<DroverProcess> agents = new ArrayList<>();
    private final String sessionTimeout;
    private String listenHost = "127.0.0.1";
    private final List<String> extraNames = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    /** The --http-listen port of each coordinator and agent (free ports, on loopback or the listen host). */
    private final Map<DroverProcess, Integer> httpPorts = new java.util.concurrent.ConcurrentHashMap<>();
    private boolean agentHttp;
    private List<String> coordinatorJvmOptions = List.of();
    private ProcessSecurity security; // chosen on first use

    public ProcessCluster(String zkConnect, Path dir, String sessionTimeout) {
        this.zkConnect = zkConnect;
        this.dir = dir;
        this.sessionTimeout = sessionTimeout;
    }

    /**
     * Plaintext, no tokens, no certificates ({@code --insecure} everywhere): the baseline to compare
     * with. Call it before starting anything or asking for credentials.
     */
    public synchronized ProcessCluster insecure() {
        if (security instanceof ProcessSecurity.Secure) {
            throw new IllegalStateException("insecure() comes before the first process is started or credentials are "
                    + "asked for: this cluster is secure already (secrets in " + secretsDir() + ")");
        }
        security = new ProcessSecurity.Insecure();
        return this;
    }

    public boolean isSecure() {
        return security() instanceof ProcessSecurity.Secure;
    }

    private synchronized ProcessSecurity security() {
        if (security == null) {
            security = ProcessSecurity.Secure.init(dir.resolve("secrets"));
        }
        return security;
    }

    /** The secrets directory ({@code drover ca init} layout: ca.pem, admin.token, ...) of a secure cluster. */
    public Path secretsDir() {
        if (!(security() instanceof ProcessSecurity.Secure s)) {
            throw new IllegalStateException("an insecure() cluster has no secrets directory");
        }
        return s.secrets().dir();
    }

    /** For the SDK: the cluster CA and the admin token (insecure credentials for an insecure cluster). */
    public Credentials credentials() {
        return security().credentials();
    }

    /** For raw Thrift {@code CoordinatorConnection}s: TLS trusting the cluster CA, the admin token in every hello. */
    public ClientSecurity clientSecurity() {
        return security().clientSecurity();
    }

    /** Set these in a {@code drover} CLI process's environment ({@code DROVER_SECRETS_DIR}, or {@code DROVER_INSECURE=1}). */
    public Map<String, String> cliEnvironment() {
        return security().cliEnvironment();
    }

    /** Flags for the CLI run in this JVM, whose environment cannot be set: {@code --ca-file} and {@code --token-file}. */
    public List<String> cliFlags() {
        return security().cliFlags();
    }

    /**
     * A started ZooKeeper client that may read the cluster's znodes (which a secure cluster's
     * coordinators create readable by their digest credential alone); the caller closes it.
     */
    public CuratorFramework zooKeeperClient() {
        CuratorFramework client = ZkClients.create(zkConnect, Duration.ofSeconds(10), security().zooKeeperCredential());
        client.start();
        return client;
    }

    /** An agent's security flags, for an agent started outside this class (e.g. through bin/drover). */
    public List<String> agentArgs() {
        return security().agentArgs();
    }

    /** An agent's environment beyond the caller's (the join token), for an agent started outside this class. */
    public Map<String, String> agentEnvironment() {
        return security().agentEnvironment();
    }

    /** Settings a process of this cluster must not inherit from the caller's shell. */
    public static List<String> inheritedSettings() {
        return ProcessSecurity.INHERITED_SETTINGS;
    }

    /** Coordinators started after this bind {@code host} (e.g. 0.0.0.0 to serve test namespaces too). */
    public ProcessCluster listenOn(String host) {
        this.listenHost = host;
        return this;
    }

    /**
     * Coordinators started after this are reached at {@code address} too (a test namespace's side of
     * a link): their TLS certificates must name it.
     */
    public ProcessCluster reachableAt(String address) {
        extraNames.add(address);
        return this;
    }

    /** Coordinators started after this get these JVM options after the defaults (e.g. {@code -Xmx1g}). */
    public ProcessCluster coordinatorJvmOptions(String... options) {
        this.coordinatorJvmOptions = List.of(options);
        return this;
    }

    /** Starts {@code n} coordinators on free ports; clients here reach them on loopback. */
    public ProcessCluster startCoordinators(int n, String... extraArgs) {
        for (int i = 0; i < n; i++) {
            int port = freePort();
            String endpoint = "127.0.0.1:" + port;
            ports.add(port);
            int httpPort = freePort();
            List<String> args = new ArrayList<>(List.of("coordinator", "--zk", zkConnect, "--listen",
                    listenHost + ":" + port, "--advertise", "127.0.0.1", "--session-timeout", sessionTimeout,
                    "--http-listen", listenHost + ":" + httpPort));
            args.addAll(security().coordinatorArgs(extraNames));
            args.addAll(List.of(extraArgs));
            String name = "coordinator-" + (coordinators.size() + 1);
            DroverProcess p = new DroverProcess(name, List.of(), args, Map.of(), dir.resolve(name + ".log"),
                    coordinatorJvmOptions);
            coordinators.add(p.start());
            coordinatorEndpoints.add(endpoint);
            httpPorts.put(p, httpPort);
        }
        return this;
    }

    /** Starts {@code n} agents with {@code slots} each, pointing at every coordinator. */
    public ProcessCluster startAgents(int n, int slots, String... extraArgs) {
        for (int i = 0; i < n; i++) {
            startAgent("agent-" + (agents.size() + 1), List.of(), endpoints(), slots, extraArgs);
        }
        return this;
    }

    public String endpoints() {
        return String.join(",", coordinatorEndpoints);
    }

    /** Every coordinator's port at {@code host}: what an agent in another namespace dials. */
    public String endpointsAt(String host) {
        return ports.stream().map(p -> host + ":" + p).collect(Collectors.joining(","));
    }

    /** Starts one agent through {@code prefix} (e.g. inside a network namespace) dialing {@code endpoints}. */
    public DroverProcess startAgent(String id, List<String> prefix, String endpoints, int slots, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("agent", "--coordinators", endpoints, "--id", id,
                "--slots", Integer.toString(slots), "--work-dir", dir.resolve(id).toString()));
        int httpPort = agentHttp ? freePort() : -1;
        if (agentHttp) {
            args.addAll(List.of("--http-listen", "127.0.0.1:" + httpPort));
        }
        args.addAll(security().agentArgs());
        args.addAll(List.of(extraArgs));
        DroverProcess p = new DroverProcess(id, prefix, args, security().agentEnvironment(), dir.resolve(id + ".log")).start();
        agents.add(p);
        if (agentHttp) {
            httpPorts.put(p, httpPort);
        }
        return p;
    }

    public List<DroverProcess> coordinators() {
        return coordinators;
    }

    public List<DroverProcess> agents() {
        return agents;
    }

    /** The coordinator process that answers {@code hello} as leader, if any does right now. */
    public Optional<DroverProcess> leader() {
        for (int i = 0; i < coordinators.size(); i++) {
            if (!coordinators.get(i).isAlive()) {
                continue;
            }
            Optional<ServerInfo> info = hello(coordinatorEndpoints.get(i));
            if (info.isPresent() && info.get().isLeader()) {
                return Optional.of(coordinators.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * Agents started after this serve {@code /metrics} and health on a free loopback port, as
     * {@code --http-listen} does (off by default, as in production; coordinators always serve one).
     */
    public ProcessCluster agentHttp() {
        this.agentHttp = true;
        return this;
    }

    /** The HTTP port (health, /metrics) of a coordinator, or of an agent started after {@link #agentHttp()}. */
    public int httpPortOf(DroverProcess process) {
        Integer port = httpPorts.get(process);
        if (port == null) {
            throw new IllegalArgumentException(process + " has no HTTP port here (an agent started before agentHttp(), "
                    + "or a process of another cluster)");
        }
        return port;
    }

    /**
     * The HTTP base URL of a coordinator or agent on loopback: {@code https://} for a secure cluster's
     * coordinators (their certificate names 127.0.0.1; trust {@code secretsDir()/ca.pem}), else {@code http://}.
     */
    public String httpUrlOf(DroverProcess process) {
        boolean https = coordinators.contains(process) && isSecure();
        return (https ? "https" : "http") + "://127.0.0.1:" + httpPortOf(process);
    }

    public String endpointOf(DroverProcess coordinator) {
        return coordinatorEndpoints.get(coordinators.indexOf(coordinator));
    }

    /** Asks one of this cluster's coordinators directly (no redirect following), secured as the cluster is. */
    public Optional<ServerInfo> hello(String endpoint) {
        return hello(endpoint, clientSecurity());
    }

    /**
     * Asks one coordinator directly, secured as {@code security} says; empty when it does not answer
     * within a second (a TLS handshake on a loaded machine takes tens of milliseconds of that).
     */
    public static Optional<ServerInfo> hello(String endpoint, ClientSecurity security) {
        Duration answer = security.currentTls().isInsecure() ? Duration.ofMillis(500) : Duration.ofSeconds(1);
        CallDeadlines deadlines = new CallDeadlines(Duration.ofMillis(300), answer, answer,
                CallDeadlines.DEFAULTS.parkMargin(), Duration.ZERO);
        try (var c = new CoordinatorConnection<>(CoordinatorService.CLIENT, List.of(Endpoint.parse(endpoint)), "probe",
                deadlines, false, security)) {
            Hello hello = new Hello(droverConstants.PROTOCOL_VERSION, "probe");
            String token = security.token().get();
            if (token != null) {
                hello.setToken(token);
            }
            return Optional.of(c.callDirect(x -> x.hello(hello)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    public String describe() {
        return coordinators.stream().map(Object::toString).collect(Collectors.joining(", ")) + "; "
                + agents.stream().map(Object::toString).collect(Collectors.joining(", "));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        agents.forEach(DroverProcess::close);
        coordinators.forEach(DroverProcess::close);
    }
}
