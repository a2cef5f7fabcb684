package io.drover.bench.fuzz;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Locale;

/**
 * Sends malformed frames to one Thrift port, each kind from several client threads, one connection
 * per frame (a bad frame closes its connection), and holds idle, slow and buffer-claiming
 * connections: on bare TCP connections, or inside completed TLS sessions ({@link TlsSessionDialer}). Counts what it sent; judging the server is the caller's job.
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

    private final FuzzDialer dialer;
    private final String prefix;
    private final FrameBursts bursts;
    private final long seed;
    private final List<String> methods;

    /** Plaintext frames on bare TCP connections to {@code host:port}. */
    public ProtocolFuzz(String host, int port, int threads, long seed, List<String> methods) {
        this(FuzzDialer.plain(host, port), "", threads, seed, methods);
    }

    /** Frames through {@code dialer}; every kind's name starts with {@code prefix} ("tls-session-"). */
    ProtocolFuzz(FuzzDialer dialer, String prefix, int threads, long seed, List<String> methods) {
        this.dialer = dialer;
        this.prefix = prefix;
        this.bursts = new FrameBursts(dialer, threads);
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
        byte[] slowFrame = frames.missingFields(frames.randomMethod());
        return HeldConnections.hold(dialer, prefix + mode, count, holdMillis, 0, probe, new HeldConnections.Script() {
            @Override
            public void opened(Socket s) throws IOException {
                if (mode.equals("starve")) {
                    OutputStream out = s.getOutputStream();
                    out.write(FuzzFrames.header(claim));
                    out.write(new byte[1024]);
                }
            }

            @Override
            public void tick(Socket s, int step) throws IOException {
                if (mode.equals("slow") && step < slowFrame.length) {
                    s.getOutputStream().write(slowFrame[step]);
                }
            }
        });
    }

    /**
     * What a hold saw: of {@code connections} opened ({@code refusedConnects} could not be), how many
     * the server had closed by the end of the hold, and by the end of the grace after it;
     * {@code allClosedMs}: when the last was seen closed, from the start of the hold (-1: not all were).
     */
    public record HeldResult(String mode, int connections, long refusedConnects, int closedByServer, int closedAfterGrace,
                             long heldMillis, long allClosedMs) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "kind=held-%s connections=%d refused_connects=%d closed_by_server=%d held_ms=%d",
                    mode, connections, refusedConnects, closedByServer, heldMillis)
                    + (closedAfterGrace == closedByServer ? "" : " closed_after_grace=" + closedAfterGrace)
                    + (allClosedMs < 0 ? "" : " all_closed_ms=" + allClosedMs);
        }
    }

    private KindResult burst(String kind, int frames, IntFunctionWithFrames make) {
        return bursts.burst(prefix + kind, frames, seed, threadSeed -> {
            FrameSource source = new FrameSource(new FuzzFrames(threadSeed, methods));
            return () -> make.apply(source);
        });
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
