package io.drover.coordinator.rpc;

import io.drover.protocol.WireLimits;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ClientService;
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
 * garbage or oversized frames close the connection, nothing else.
 *
 * <p>Both services share the port, multiplexed by name ({@link CoordinatorService}); calls without
 * a service prefix, as releases before the split send them, go to the service that owns the method
 * (see {@link MultiplexedAsyncProcessor}).
 */
public final class RpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

    private final TNonblockingServerSocket socket;
    private final TThreadedSelectorServer server;
    private final Thread thread;

    public RpcServer(InetSocketAddress bind, RpcEndpoints endpoints) {
        AgentService.AsyncIface agents = endpoints.agents();
        ClientService.AsyncIface clients = endpoints.clients();
        try {
            this.socket = new TNonblockingServerSocket(bind, 0, WireLimits.MAX_FRAME_BYTES);
        } catch (TTransportException e) {
            throw new IllegalStateException("cannot listen on " + bind + ": " + e.getMessage(), e);
        }
        TThreadedSelectorServer.Args args = new TThreadedSelectorServer.Args(socket)
                .selectorThreads(2)
                .workerThreads(2)
                .processor(new MultiplexedAsyncProcessor()
                        // first: an unprefixed hello from an old agent is answered as an agent's
                        .register(CoordinatorService.AGENT.name(), agents, new AgentService.AsyncProcessor<>(agents))
                        .register(CoordinatorService.CLIENT.name(), clients, new ClientService.AsyncProcessor<>(clients)))
                .transportFactory(new TFramedTransport.Factory(WireLimits.MAX_FRAME_BYTES))
                .protocolFactory(new TCompactProtocol.Factory(WireLimits.MAX_MESSAGE_BYTES, 1_000_000));
        args.maxReadBufferBytes = 512L * 1024 * 1024;
        this.server = new TThreadedSelectorServer(args);
        server.setServerEventHandler(endpoints.connectionEvents());
        this.thread = new Thread(server::serve, "drover-rpc");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
        log.info("listening for agents and clients on port {}", port());
    }

    public int port() {
        return socket.getPort();
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
