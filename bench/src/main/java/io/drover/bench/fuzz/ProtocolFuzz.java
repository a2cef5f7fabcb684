package io.drover.bench.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends malformed frames to one Thrift port, each kind from several client threads, one connection
 * per frame (a bad frame closes its connection), and holds idle, slow and buffer-claiming
 * connections. Counts what it sent; judging the server is the caller's job.
 */
public final class ProtocolFuzz {
    /** What one kind sent. */
    public record KindResult(String kind, long frames, long connections, long refusedConnects, long millis) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "kind=%s frames=%d connections=%d refused_connects=%d ms=%d",
                    kind, frames, connections, refusedConnects, millis);
        }
    }

    private final String host;
    private final int port;
    private final int threads;
    private final long seed;
    private final List<String> methods;

    public ProtocolFuzz(String host, int port, int threads, long seed, List<String> methods) {
        this.host = host;
        this.port = port;
        this.threads = threads;
        this.seed = seed;
        this.methods = List.copyOf(methods);
    }

    public KindResult randomBytes(int frames) {
        return burst("random-bytes", frames, f -> f.randomBytes());
    }

    public KindResult wrongFieldTypes(int frames) {
        return burst("wrong-field-types", frames, f -> f.wrongFieldTypes());
    }

    /** Every method, {@code perMethod} times each, with its arguments struct empty. */
    public KindResult missingFields(int perMethod) {
        return burst("missing-fields", perMethod * methods.size(), f -> f.missingFields(methods.get(f.nextIndex() % methods.size())));
    }

    public KindResult deepNesting(int frames, int depth) {
        return burst("deep-nesting", frames, f -> f.deepNesting(depth));
    }

    public KindResult giantClaims(int frames) {
        return burst("giant-claims", frames, f -> f.giantClaim());
    }

    /** Bare frame headers: huge, negative and zero lengths in turn. */
    public KindResult badLengths(int frames) {
        int[] lengths = {Integer.MAX_VALUE, 64 * 1024 * 1024, -1, Integer.MIN_VALUE, 0};
        return burst("bad-lengths", frames, f -> FuzzFrames.header(lengths[f.nextIndex() % lengths.length]));
    }

    /** A frame cut short: the header claims more than is sent, then the connection closes. */
    public KindResult truncated(int frames) {
        return burst("truncated", frames, f -> {
            byte[] whole = f.wrongFieldTypes();
            byte[] cut = new byte[Math.max(5, whole.length / 2)];
            System.arraycopy(whole, 0, cut, 0, Math.min(cut.length, whole.length));
            return cut;
        });
    }

    /**
     * Opens {@code count} connections and, per {@code mode}, sends nothing (idle), a real call one
     * byte at a time (slow), or a header claiming {@code claim} bytes and 1 KiB of it (starve), then
     * holds them for {@code holdMillis} while {@code probe} runs; returns how many of them the
     * server had closed by the end.
     */
    public HeldResult hold(String mode, int count, int claim, long holdMillis, Runnable probe) throws IOException {
        FuzzFrames frames = new FuzzFrames(seed, methods);
        List<Socket> sockets = new ArrayList<>();
        long refused = 0;
        try {
            for (int i = 0; i < count; i++) {
                try {
                    Socket s = connect();
                    s.setSoTimeout(1);
                    if (mode.equals("starve")) {
                        OutputStream out = s.getOutputStream();
                        out.write(FuzzFrames.header(claim));
                        out.write(new byte[1024]);
                    }
                    sockets.add(s);
                } catch (IOException e) {
                    refused++;
                }
            }
            long start = System.nanoTime();
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(holdMillis);
            byte[] slowFrame = frames.missingFields(frames.randomMethod());
            int slowAt = 0;
            probe.run();
            while (System.nanoTime() < deadline) {
                if (mode.equals("slow") && slowAt < slowFrame.length) {
                    for (Socket s : sockets) {
                        writeQuietly(s, slowFrame[slowAt]);
                    }
                    slowAt++;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            int closed = 0;
            for (Socket s : sockets) {
                if (closedByServer(s)) {
                    closed++;
                }
            }
            return new HeldResult(mode, count, refused, closed, holdMillis);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** What {@link #hold} saw. */
    public record HeldResult(String mode, int connections, long refusedConnects, int closedByServer, long heldMillis) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "kind=held-%s connections=%d refused_connects=%d closed_by_server=%d held_ms=%d",
                    mode, connections, refusedConnects, closedByServer, heldMillis);
        }
    }

    private KindResult burst(String kind, int frames, IntFunctionWithFrames make) {
        long start = System.nanoTime();
        AtomicLong sent = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int share = frames / threads + (t < frames % threads ? 1 : 0);
                FrameSource source = new FrameSource(new FuzzFrames(seed * 31 + t + kind.hashCode(), methods));
                done.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        byte[] frame = make.apply(source);
                        if (sendOne(frame)) {
                            sent.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(kind + " stopped: " + e, e);
        } finally {
            pool.shutdownNow();
        }
        return new KindResult(kind, sent.get(), sent.get() + refused.get(), refused.get(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** One connection, one frame, then close; false when the server refused or reset the connect. */
    private boolean sendOne(byte[] frame) {
        try (Socket s = connect()) {
            s.getOutputStream().write(frame);
            s.shutdownOutput();
            s.setSoTimeout(50); // give the server a moment to answer or close; its answer is not judged
            InputStream in = s.getInputStream();
            byte[] sink = new byte[4096];
            while (in.read(sink) >= 0) {
                // drain
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return true; // still open after 50 ms: sent all the same
        } catch (IOException e) {
            return e.getMessage() == null || !e.getMessage().contains("refused");
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 2000);
        return s;
    }

    private static void writeQuietly(Socket s, byte b) {
        try {
            s.getOutputStream().write(b);
        } catch (IOException e) {
            // the server closed it: counted at the end
        }
    }

    private static boolean closedByServer(Socket s) {
        try {
            return s.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Frames of one thread, with a counter for kinds that cycle through values. */
    static final class FrameSource {
        private final FuzzFrames frames;
        private int index;

        FrameSource(FuzzFrames frames) {
            this.frames = frames;
        }

        int nextIndex() {
            return index++ % Math.max(1, frames.methods().size() * 5);
        }

        byte[] randomBytes() {
            return frames.randomBytes();
        }

        byte[] wrongFieldTypes() {
            return frames.wrongFieldTypes();
        }

        byte[] missingFields(String method) {
            return frames.missingFields(method);
        }

        byte[] deepNesting(int depth) {
            return frames.deepNesting(depth);
        }

        byte[] giantClaim() {
            return frames.giantClaim();
        }
    }

    private interface IntFunctionWithFrames {
        byte[] apply(FrameSource source);
    }
}
