package io.drover.testkit;

import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.Coordinator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.awaitility.Awaitility;

/**
 * A real Thrift server on a free loopback port (framed transport, compact protocol, the same wire
 * limits as production) serving a {@link Coordinator.Iface}. {@link #start} returns once the
 * server is accepting connections.
 */
public final class LoopbackServer implements AutoCloseable {
    private final TThreadPoolServer server;
    private final Thread thread;
    private final int port;

    private LoopbackServer(TThreadPoolServer server, int port) {
        this.server = server;
        this.port = port;
        this.thread = new Thread(server::serve, "loopback-coordinator-" + port);
        thread.setDaemon(true);
    }

    public static LoopbackServer start(Coordinator.Iface handler) {
        return start(handler, bindLoopback());
    }

    /** A free loopback port, bound now, for a server started later with {@link #start(Coordinator.Iface, ServerSocket)}. */
    public static ServerSocket bindLoopback() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves on {@code socket}, which the server owns from now on. */
    public static LoopbackServer start(Coordinator.Iface handler, ServerSocket socket) {
        try {
            TServerSocket transport = new TServerSocket(socket);
            TThreadPoolServer.Args args = new TThreadPoolServer.Args(transport)
                    .processor(new Coordinator.Processor<>(handler))
                    .transportFactory(new TFramedTransport.Factory(WireLimits.MAX_FRAME_BYTES))
                    .protocolFactory(new TCompactProtocol.Factory(WireLimits.MAX_MESSAGE_BYTES, -1))
                    .minWorkerThreads(1)
                    .maxWorkerThreads(16)
                    .stopTimeoutVal(2)
                    .stopTimeoutUnit(TimeUnit.SECONDS);
            LoopbackServer s = new LoopbackServer(new TThreadPoolServer(args), socket.getLocalPort());
            s.thread.start();
            // stop() before serve() has started would be undone by serve(): wait until it serves.
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(s.server::isServing);
            return s;
        } catch (TTransportException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "127.0.0.1:port" (or the loopback name the JVM uses). */
    public String endpoint() {
        return endpoint(port);
    }

    public static String endpoint(ServerSocket socket) {
        return endpoint(socket.getLocalPort());
    }

    private static String endpoint(int port) {
        return InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
    }

    @Override
    public void close() throws InterruptedException {
        server.stop();
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }
}
