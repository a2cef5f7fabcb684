package io.drover.bench.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Sends one kind's frames from several threads, one connection per frame (a bad frame closes its
 * connection), through a {@link FuzzDialer}. Each thread has its own seeded frame source, so a run
 * replays with the same seed and thread count.
 */
final class FrameBursts {
    private final FuzzDialer dialer;
    private final int threads;

    FrameBursts(FuzzDialer dialer, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        this.dialer = dialer;
        this.threads = threads;
    }

    /**
     * Sends {@code frames} frames of {@code kind}; thread {@code t} draws them from
     * {@code sources.apply(seed for t)}.
     */
    ProtocolFuzz.KindResult burst(String kind, int frames, long seed, LongFunction<Supplier<byte[]>> sources) {
        long start = System.nanoTime();
        AtomicLong sent = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int share = frames / threads + (t < frames % threads ? 1 : 0);
                Supplier<byte[]> source = sources.apply(seed * 31 + t + kind.hashCode());
                done.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        (sendOne(source.get()) ? sent : refused).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(kind + " stopped: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(kind + " interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        return new ProtocolFuzz.KindResult(kind, sent.get(), sent.get() + refused.get(), refused.get(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /**
     * One connection, one frame, then close; false when the connection (or its TLS session) could not
     * be opened. Once open, the frame counts as sent whatever the server does with it.
     */
    private boolean sendOne(byte[] frame) {
        Socket s;
        try {
            s = dialer.open();
        } catch (IOException e) {
            return false;
        }
        try (s) {
            s.getOutputStream().write(frame);
            if (dialer.halfCloses()) {
                s.shutdownOutput();
            }
            s.setSoTimeout(50); // give the server a moment to answer or close; its answer is not judged
            InputStream in = s.getInputStream();
            byte[] sink = new byte[4096];
            while (in.read(sink) >= 0) {
                // drain
            }
        } catch (SocketTimeoutException e) {
            // still open after 50 ms: sent all the same
        } catch (IOException e) {
            // reset or closed while writing: the server refused the frame, which is the point
        }
        return true;
    }
}
