package io.drover.testkit;

import io.drover.protocol.Endpoint;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.Coordinator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * A real Thrift server on a free loopback port (framed transport, compact protocol, production
 * wire limits) serving a {@link FakeAgentService}. The socket is bound before {@link #start} returns.
 */
public final class LoopbackCoordinator implements AutoCloseable {
    private final FakeAgentService handler;
    private final TThreadPoolServer server;
    private final Thread thread;
    private final int port;

    private LoopbackCoordinator(FakeAgentService handler, TThreadPoolServer server, int port) {
        this.handler = handler;
        this.server = server;
        this.port = port;
        this.thread = new Thread(server::serve, "test-coordinator-" + port);
        thread.setDaemon(true);
    }

    public static LoopbackCoordinator start(FakeAgentService handler) {
        try {
            ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            TThreadPoolServer.Args args = new TThreadPoolServer.Args(new TServerSocket(socket))
                    .processor(new Coordinator.Processor<Coordinator.Iface>(handler))
                    .transportFactory(new TFramedTransport.Factory(WireLimits.MAX_FRAME_BYTES))
                    .protocolFactory(new TCompactProtocol.Factory(WireLimits.MAX_MESSAGE_BYTES, -1))
                    .minWorkerThreads(1)
                    .maxWorkerThreads(32)
                    .stopTimeoutVal(5)
                    .stopTimeoutUnit(TimeUnit.SECONDS);
            LoopbackCoordinator s = new LoopbackCoordinator(handler, new TThreadPoolServer(args), socket.getLocalPort());
            s.thread.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TTransportException e) {
            throw new IllegalStateException(e);
        }
    }

    public Endpoint endpoint() {
        return new Endpoint(InetAddress.getLoopbackAddress().getHostAddress(), port);
    }

    @Override
    public void close() {
        handler.releaseParkedPolls();
        server.stop();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
