package io.drover.bench.cluster;

import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.Endpoint;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.droverConstants;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Coordinators and agents as separate processes on loopback, for fault tests and benchmarks
 * that kill, pause and restart them. ZooKeeper is given (an ensemble or a single server).
 */
public final class ProcessCluster implements AutoCloseable {
    private final String zkConnect;
    private final Path dir;
    private final List<DroverProcess> coordinators = new ArrayList<>();
    private final List<String> coordinatorEndpoints = new ArrayList<>();
    private final List<DroverProcess> agents = new ArrayList<>();
    private final String sessionTimeout;
    private String listenHost = "127.0.0.1";
    private final List<Integer> ports = new ArrayList<>();

    public ProcessCluster(String zkConnect, Path dir, String sessionTimeout) {
        this.zkConnect = zkConnect;
        this.dir = dir;
        this.sessionTimeout = sessionTimeout;
    }

    /** Coordinators started after this bind {@code host} (e.g. 0.0.0.0 to serve test namespaces too). */
    public ProcessCluster listenOn(String host) {
        this.listenHost = host;
        return this;
    }

    /** Starts {@code n} coordinators on free ports; clients here reach them on loopback. */
    public ProcessCluster startCoordinators(int n, String... extraArgs) {
        for (int i = 0; i < n; i++) {
            int port = freePort();
            String endpoint = "127.0.0.1:" + port;
            ports.add(port);
            List<String> args = new ArrayList<>(List.of("coordinator", "--zk", zkConnect, "--listen",
                    listenHost + ":" + port, "--advertise", "127.0.0.1", "--session-timeout", sessionTimeout));
            args.addAll(List.of(extraArgs));
            DroverProcess p = new DroverProcess("coordinator-" + (coordinators.size() + 1), args,
                    dir.resolve("coordinator-" + (coordinators.size() + 1) + ".log"));
            coordinators.add(p.start());
            coordinatorEndpoints.add(endpoint);
        }
        return this;
    }

    /** Starts {@code n} agents with {@code slots} each, pointing at every coordinator. */
    public ProcessCluster startAgents(int n, int slots, String... extraArgs) {
        for (int i = 0; i < n; i++) {
            String id = "agent-" + (agents.size() + 1);
            List<String> args = new ArrayList<>(List.of("agent", "--coordinators", endpoints(), "--id", id,
                    "--slots", Integer.toString(slots), "--work-dir", dir.resolve(id).toString()));
            args.addAll(List.of(extraArgs));
            agents.add(new DroverProcess(id, args, dir.resolve(id + ".log")).start());
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
        args.addAll(List.of(extraArgs));
        DroverProcess p = new DroverProcess(id, prefix, args, dir.resolve(id + ".log")).start();
        agents.add(p);
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

    public String endpointOf(DroverProcess coordinator) {
        return coordinatorEndpoints.get(coordinators.indexOf(coordinator));
    }

    /** Asks one coordinator directly (no redirect following). */
    public static Optional<ServerInfo> hello(String endpoint) {
        try (var c = new CoordinatorConnection<>(CoordinatorService.CLIENT, List.of(Endpoint.parse(endpoint)), "probe",
                Duration.ofMillis(300), Duration.ofMillis(500), Duration.ZERO)) {
            return Optional.of(c.callDirect(x -> x.hello(new Hello(droverConstants.PROTOCOL_VERSION, "probe"))));
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
