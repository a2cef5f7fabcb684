package io.drover.testkit;

import io.drover.protocol.CoordinatorService;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ClientService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TMultiplexedProcessor;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.awaitility.Awaitility;

/**
 * A real Thrift server on a free loopback port (framed transport, compact protocol, the same wire
 * limits as production) serving a fake or any processor. A fake is served the way the coordinator
 * serves its service: under the service's name, and without a prefix for clients of releases
 * before the split. {@link #start} returns once the server is accepting connections.
 * Given a plain generated processor ({@code new AgentService.Processor<>(fake)}), {@link #start}
 * serves the way the previous release's coordinator did: bare method names only, a prefixed name
 * such as {@code "AgentService:hello"} being an unknown method.
 */
public final class LoopbackServer implements AutoCloseable {
    private final TThreadPoolServer server;
    private final Thread thread;
    private final int port;
    private final Runnable beforeStop;

    private LoopbackServer(TThreadPoolServer server, int port, Runnable beforeStop) {
        this.server = server;
        this.port = port;
        this.beforeStop = beforeStop;
        this.thread = new Thread(server::serve, "loopback-server-" + port);
        thread.setDaemon(true);
    }

    /** Serves a fake coordinator to agents; closing releases the polls it parks. */
    public static LoopbackServer start(FakeAgentService fake) {
        return start(service(CoordinatorService.AGENT, new AgentService.Processor<>(fake)), bindLoopback(),
                fake::releaseParkedPolls);
    }

    /** Serves a fake coordinator to clients. */
    public static LoopbackServer start(FakeClientService fake) {
        return start(fake, bindLoopback());
    }

    /** Serves a fake coordinator to clients on {@code socket}, bound earlier with {@link #bindLoopback}. */
    public static LoopbackServer start(FakeClientService fake, ServerSocket socket) {
        return start(service(CoordinatorService.CLIENT, new ClientService.Processor<>(fake)), socket, () -> { });
    }

    /** A processor that answers {@code service}'s calls, prefixed by its name or not. */
    public static TProcessor service(CoordinatorService<?> service, TProcessor processor) {
        TMultiplexedProcessor multiplexed = new TMultiplexedProcessor();
        multiplexed.registerProcessor(service.name(), processor);
        multiplexed.registerDefault(processor);
        return multiplexed;
    }

    /** A free loopback port, bound now, for a server started later on it. */
    public static ServerSocket bindLoopback() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Serves {@code processor} on {@code socket}, which the server owns from now on;
     * {@code beforeStop} runs first on {@link #close} (to release calls a fake holds).
     */
    public static LoopbackServer start(TProcessor processor, ServerSocket socket, Runnable beforeStop) {
        try {
            TServerSocket transport = new TServerSocket(socket);
            TThreadPoolServer.Args args = new TThreadPoolServer.Args(transport)
                    .processor(processor)
                    .transportFactory(new TFramedTransport.Factory(WireLimits.MAX_FRAME_BYTES))
                    .protocolFactory(new TCompactProtocol.Factory(WireLimits.MAX_MESSAGE_BYTES, -1))
                    .minWorkerThreads(1)
                    .maxWorkerThreads(32)
                    .stopTimeoutVal(5)
                    .stopTimeoutUnit(TimeUnit.SECONDS);
            LoopbackServer s = new LoopbackServer(new TThreadPoolServer(args), socket.getLocalPort(), beforeStop);
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
    public void close() {
        beforeStop.run();
        server.stop();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
