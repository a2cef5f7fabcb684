package io.drover.agent.workers;

import io.drover.agent.platform.NamedThreads;
import io.drover.protocol.worker.WorkerHello;
import io.drover.protocol.worker.workerConstants;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where starting workers connect back: a server socket on 127.0.0.1 with an ephemeral port,
 * opened on first use. Each start registers a one-time random token (handed to the worker in its
 * environment, which only the same OS user can read); a connection whose hello carries no
 * registered token is closed, so another local process cannot pose as a worker and receive tasks.
 *
 * <p>Hellos are read concurrently, on up to {@value #MAX_HANDSHAKES} short-lived threads, each with a
 * deadline of {@link #HELLO_DEADLINE} for the whole hello (not per read): a local process that
 * connects and stays silent, or trickles bytes, is closed at the deadline and never holds up the
 * acceptor or another worker's hello. A connection arriving while {@value #MAX_QUEUED} more wait for
 * a handshake thread is closed at once.
 */
final class WorkerListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerListener.class);
    static final Duration HELLO_DEADLINE = Duration.ofSeconds(2);
    static final int MAX_HANDSHAKES = 16;
    static final int MAX_QUEUED = 256;

    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final ThreadPoolExecutor handshakes;
    private final ScheduledThreadPoolExecutor deadlines;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, CompletableFuture<WorkerLink.Greeting>> expected = new ConcurrentHashMap<>();

    private WorkerListener(ServerSocketChannel server, String name) {
        this.server = server;
        this.acceptor = new NamedThreads(name, true).newThread(this::acceptLoop);
        this.handshakes = new ThreadPoolExecutor(MAX_HANDSHAKES, MAX_HANDSHAKES, 10, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED), new NamedThreads(name + "-hello", true));
        this.handshakes.allowCoreThreadTimeOut(true);
        this.deadlines = new ScheduledThreadPoolExecutor(1, new NamedThreads(name + "-hello-deadline", true));
        this.deadlines.setRemoveOnCancelPolicy(true);
    }

    static WorkerListener open(String name) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        WorkerListener listener = new WorkerListener(server, name);
        listener.acceptor.start();
        return listener;
    }

    int port() {
        return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
    }

    /** A fresh token; the future completes when a worker presents it. */
    Expectation expect() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        CompletableFuture<WorkerLink.Greeting> greeting = new CompletableFuture<>();
        expected.put(token, greeting);
        return new Expectation(token, greeting);
    }

    /** Stops waiting for a token (its worker failed to start); a late connection with it is refused. */
    void forget(String token) {
        CompletableFuture<WorkerLink.Greeting> greeting = expected.remove(token);
        if (greeting != null) {
            greeting.thenAccept(g -> g.link().close()); // it connected just now after all
        }
    }

    record Expectation(String token, CompletableFuture<WorkerLink.Greeting> greeting) {
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("worker listener on port {}: accept failed: {}", port(), e.toString());
                continue;
            }
            try {
                handshakes.execute(() -> handshake(channel));
            } catch (RejectedExecutionException e) {
                log.warn("worker listener: {} connections already wait for their hello; closed the one from {}",
                        MAX_QUEUED, remote(channel));
                closeQuietly(channel);
            }
        }
    }

    private void handshake(SocketChannel channel) {
        long deadlineMs = HELLO_DEADLINE.toMillis();
        // The socket timeout bounds each read; this bounds the whole hello, however it trickles in.
        ScheduledFuture<?> deadline;
        try {
            deadline = deadlines.schedule(() -> closeQuietly(channel), deadlineMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) { // the listener is closing
            closeQuietly(channel);
            return;
        }
        WorkerLink.Greeting greeting;
        try {
            greeting = WorkerLink.accept(channel, (int) deadlineMs);
        } catch (IOException | TTransportException e) {
            deadline.cancel(false);
            log.warn("worker listener: a connection from {} sent no valid hello within {} ms ({}); closed",
                    remote(channel), deadlineMs, e.toString());
            closeQuietly(channel);
            return;
        }
        if (!deadline.cancel(false)) { // the deadline closed the channel just as the hello was read
            greeting.link().close();
            log.warn("worker listener: a hello from {} came at its deadline of {} ms; closed", remote(channel), deadlineMs);
            return;
        }
        WorkerHello hello = greeting.hello();
        CompletableFuture<WorkerLink.Greeting> waiting = hello.getToken() == null ? null : expected.remove(hello.getToken());
        if (waiting == null) {
            log.warn("worker listener: a connection from {} (pid {}) presented an unknown token; closed", remote(channel), hello.getPid());
            greeting.link().close();
        } else if (hello.getProtocolVersion() < 1 || hello.getProtocolVersion() > workerConstants.WORKER_PROTOCOL_VERSION) {
            greeting.link().close();
            waiting.completeExceptionally(new WorkerStartException("worker pid " + hello.getPid() + " speaks protocol "
                    + hello.getProtocolVersion() + ", this agent " + workerConstants.WORKER_PROTOCOL_VERSION
                    + ": its class path holds another Drover version"));
        } else if (!waiting.complete(greeting)) {
            greeting.link().close(); // its start was given up meanwhile
        }
    }

    private static String remote(SocketChannel channel) {
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "an unknown address";
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing a refused worker connection: {}", e.toString());
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            log.warn("closing the worker listener: {}", e.toString());
        }
        handshakes.shutdownNow();
        deadlines.shutdown(); // the deadlines still due close their connections
        expected.values().forEach(g -> g.completeExceptionally(new WorkerStartException("the agent is closing")));
        expected.clear();
    }
}
