package io.drover.systemtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay that makes a link slow and lossy where the kernel has no netem: every chunk is
 * delivered {@code delayMs} late, and a fraction {@code lossRate} of chunks are held back a further
 * retransmission timeout (what a lost segment costs TCP). Order is kept. Used by tests only.
 */
final class LaggyProxy implements AutoCloseable {
    private static final long RETRANSMIT_MS = 1_000;
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long delayMs;
    private final double lossRate;
    private final Random random = new Random(42);
    private final List<Socket> sockets = new ArrayList<>();
    private final List<ScheduledExecutorService> pumps = new ArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    LaggyProxy(String bindHost, InetSocketAddress target, long delayMs, double lossRate) throws IOException {
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(bindHost, 0));
        this.target = target;
        this.delayMs = delayMs;
        this.lossRate = lossRate;
        this.acceptor = new Thread(this::accept, "laggy-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                synchronized (this) {
                    sockets.add(client);
                    sockets.add(upstream);
                }
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                if (!closed) {
                    System.out.println("laggy proxy: " + e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to) throws IOException {
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "laggy-proxy-write");
            t.setDaemon(true);
            return t;
        });
        synchronized (this) {
            pumps.add(writer);
        }
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            long lastDue = 0;
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    long now = System.currentTimeMillis();
                    long extra;
                    synchronized (random) {
                        extra = random.nextDouble() < lossRate ? RETRANSMIT_MS : 0;
                    }
                    long due = Math.max(lastDue, now + delayMs + extra);
                    lastDue = due;
                    byte[] chunk = Arrays.copyOf(buf, n);
                    writer.schedule(() -> {
                        try {
                            out.write(chunk);
                            out.flush();
                        } catch (IOException e) {
                            closeQuietly(from, to);
                        }
                    }, due - now, TimeUnit.MILLISECONDS);
                }
            } catch (IOException e) {
                // the connection ended; fall through
            }
            writer.schedule(() -> closeQuietly(from, to), Math.max(0, lastDue - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        }, "laggy-proxy-read");
        reader.setDaemon(true);
        reader.start();
    }

    private static void closeQuietly(Socket a, Socket b) {
        try {
            a.close();
        } catch (IOException ignored) {
            // closing a socket that is already broken
        }
        try {
            b.close();
        } catch (IOException ignored) {
            // closing a socket that is already broken
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        pumps.forEach(ScheduledExecutorService::shutdownNow);
    }
}
