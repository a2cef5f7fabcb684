package io.drover.protocol;

import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.ServerInfo;
import java.util.function.Function;
import org.apache.thrift.TException;
import org.apache.thrift.TServiceClient;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.protocol.TProtocol;

/**
 * One of the coordinator's Thrift services, as its callers see it: the name it is multiplexed
 * under on the coordinator's port and how to make its client. Agents use {@link #AGENT}; the SDK,
 * CLI and tools use {@link #CLIENT}.
 *
 * @param <C> the generated client type
 */
public final class CoordinatorService<C extends TServiceClient> {
    /** What agents call: registration, heartbeats, job descriptions, artifacts, log answers. */
    public static final CoordinatorService<AgentService.Client> AGENT =
            new CoordinatorService<>("AgentService", AgentService.Client::new, AgentService.Client::hello);
    /** What clients call: uploads, jobs, agents, logs, schedules. */
    public static final CoordinatorService<ClientService.Client> CLIENT =
            new CoordinatorService<>("ClientService", ClientService.Client::new, ClientService.Client::hello);

    /** The handshake every service answers. */
    @FunctionalInterface
    interface HelloCall<C> {
        ServerInfo hello(C client, Hello hello) throws TException;
    }

    private final String name;
    private final Function<TProtocol, C> clients;
    private final HelloCall<C> hello;

    private CoordinatorService(String name, Function<TProtocol, C> clients, HelloCall<C> hello) {
        this.name = name;
        this.clients = clients;
        this.hello = hello;
    }

    /** The service's name on the wire: the prefix {@link TMultiplexedProtocol} puts before each method. */
    public String name() {
        return name;
    }

    /** A client whose calls are prefixed with this service's name, over {@code protocol}. */
    public C client(TProtocol protocol) {
        return clients.apply(new TMultiplexedProtocol(protocol, name));
    }

    /**
     * A client whose calls carry bare method names ({@code "hello"}), over {@code protocol}: the bytes
     * the previous release's single-service client wrote, for a coordinator that predates the split.
     */
    public C unprefixedClient(TProtocol protocol) {
        return clients.apply(protocol);
    }

    ServerInfo hello(C client, Hello request) throws TException {
        return hello.hello(client, request);
    }

    @Override
    public String toString() {
        return name;
    }
}
