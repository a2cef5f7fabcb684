package io.drover.coordinator.rpc;

import io.drover.coordinator.transport.BadInputGuard;
import io.drover.coordinator.transport.GuardedSelectorServer;
import io.drover.coordinator.transport.PeerAware;
import io.drover.coordinator.transport.TransportLimits;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.tls.TlsSettings;
import java.net.InetSocketAddress;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.server.TThreadedSelectorServer;
import org.apache.thrift.transport.TNonblockingServerSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thrift server: non-blocking selector threads and async processors, so thousands of parked
 * agent long polls cost a socket each and no thread. Framed transport with a frame limit:
 * garbage or oversized frames close the connection, nothing else. Memory, connection counts and
 * timeouts are held to {@link TransportLimits} by {@link GuardedSelectorServer}.
 *
 * <p>Both services share the port, multiplexed by name ({@link CoordinatorService}); calls without
 * a service prefix, as releases before the split send them, go to the service that owns the method
 * (see {@link MultiplexedAsyncProcessor}).
 */
public final class RpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

    /**
     * Connections the kernel completes before the accept thread takes them. Thrift's 0 means the
     * JDK's 50: thousands of agents reconnecting at once (a new leader, a restart) overflowed it,
     * and a connection dropped from a full queue looks open to its client, whose first call then
     * times out (the watchdog's self-probe among them, which stepped the leader down). The kernel
     * caps it at net.core.somaxconn.
     */
    static final int ACCEPT_BACKLOG = 4096;
    private final TNonblockingServerSocket socket;
    private final GuardedSelectorServer server;
    private final Thread thread;
    private final TlsSettings tls;

    /** A plaintext server (a coordinator run with --insecure). */
    public RpcServer(InetSocketAddress bind, RpcEndpoints endpoints, TransportLimits limits) {
        this(bind, endpoints, limits, TlsSettings.insecure());
    }

    /** Serves TLS 1.3 with the server settings {@code tls}, or plaintext with {@link TlsSettings#insecure()}. */
    public RpcServer(InetSocketAddress bind, RpcEndpoints endpoints, TransportLimits limits, TlsSettings tls) {
        this.tls = tls;
        AgentService.AsyncIface agents = endpoints.agents();
        ClientService.AsyncIface clients = endpoints.clients();
        try {
            this.socket = new TNonblockingServerSocket(bind, ACCEPT_BACKLOG, limits.maxFrameBytes());
        } catch (TTransportException e) {
            throw new IllegalStateException("cannot listen on " + bind + ": " + e.getMessage(), e);
        }
        BadInputGuard processor = new BadInputGuard(new MultiplexedAsyncProcessor()
                // first: an unprefixed hello from an old agent is answered as an agent's
                .register(CoordinatorService.AGENT.name(), agents, new AgentService.AsyncProcessor<>(agents))
                .register(CoordinatorService.CLIENT.name(), clients, new ClientService.AsyncProcessor<>(clients)));
        TThreadedSelectorServer.Args args = new TThreadedSelectorServer.Args(socket)
                .selectorThreads(2)
                .workerThreads(2)
                .processor(processor)
                .transportFactory(new TFramedTransport.Factory(limits.maxFrameBytes()))
                .protocolFactory(new TCompactProtocol.Factory(limits.maxFrameBytes(), 1_000_000));
        this.server = new GuardedSelectorServer(args, limits, () -> System.nanoTime() / 1_000_000, tls);
        processor.attach(server);
        if (endpoints.connectionEvents() instanceof PeerAware peers) {
            processor.onCall(peers);
        }
        server.setServerEventHandler(endpoints.connectionEvents());
        endpoints.closer().attach(server::closeConnections);
        this.thread = new Thread(server::serve, "drover-rpc");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
        log.info("listening for agents and clients on port {} ({})", port(), tls.isInsecure()
                ? "plaintext: --insecure" : "TLS 1.3");
    }

    public int port() {
        return socket.getPort();
    }

    /** The port's connections and read memory, for tests and metrics. */
    public GuardedSelectorServer transport() {
        return server;
    }

    @Override
    public void close() {
        server.stop();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
    }
}
