package io.drover.bench.fuzz;

import io.drover.protocol.tls.TlsSettings;
import java.io.IOException;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Fuzzing of a TLS port. Most frames are garbage sent before any handshake, on bare TCP
 * connections: cheap for both ends, so they make up the bulk. {@link #sessions()} sends the
 * plaintext fuzzer's malformed frames inside completed TLS sessions (each costs a handshake, so
 * callers bound their number); {@link #holdHandshake} holds connections that never finish their
 * handshake, which the coordinator's handshake timeout must close.
 */
public final class TlsFuzz {
    /** Held-connection modes: nothing sent, half a ClientHello, or a whole one and never the client's Finished. */
    public enum HandshakeHold { SILENT, HALF_HELLO, NO_FINISHED }

    private final FuzzDialer tcp;
    private final FrameBursts bursts;
    private final TlsSessionDialer tlsDialer;
    private final ProtocolFuzz sessions;
    private final long seed;
    private final List<String> methods;

    /**
     * @param tls   trusts the cluster CA; one instance for every session, so they can resume
     * @param token sent in each session's hello (an admin token reaches every call), or null
     */
    public TlsFuzz(String host, int port, TlsSettings tls, String token, int threads, long seed, List<String> methods) {
        this.tcp = FuzzDialer.plain(host, port);
        this.bursts = new FrameBursts(tcp, threads);
        this.tlsDialer = new TlsSessionDialer(tls, host, port, token);
        this.sessions = new ProtocolFuzz(tlsDialer, "tls-session-", threads, seed, methods);
        this.seed = seed;
        this.methods = List.copyOf(methods);
    }

    public ProtocolFuzz.KindResult randomBytes(int frames) {
        return garbage("tls-random-bytes", frames, TlsGarbage::randomBytes);
    }

    public ProtocolFuzz.KindResult badRecordLengths(int frames) {
        return garbage("tls-bad-record-lengths", frames, TlsGarbage::badRecordLength);
    }

    public ProtocolFuzz.KindResult truncatedRecords(int frames) {
        return garbage("tls-truncated-records", frames, TlsGarbage::truncatedRecord);
    }

    public ProtocolFuzz.KindResult cutClientHellos(int frames) {
        return garbage("tls-cut-client-hello", frames, TlsGarbage::cutClientHello);
    }

    public ProtocolFuzz.KindResult mangledClientHellos(int frames) {
        return garbage("tls-mangled-client-hello", frames, TlsGarbage::mangledClientHello);
    }

    public ProtocolFuzz.KindResult wrongRecordTypes(int frames) {
        return garbage("tls-wrong-record-types", frames, TlsGarbage::wrongRecordType);
    }

    /** Plaintext Thrift calls (well-formed and not) sent to the TLS port as they are. */
    public ProtocolFuzz.KindResult plaintextFrames(int frames) {
        return bursts.burst("tls-plaintext-frames", frames, seed, threadSeed -> {
            FuzzFrames f = new FuzzFrames(threadSeed, methods);
            Random pick = new Random(threadSeed);
            return () -> switch (pick.nextInt(3)) {
                case 0 -> f.missingFields(f.randomMethod());
                case 1 -> f.wrongFieldTypes();
                default -> f.giantClaim();
            };
        });
    }

    /** The plaintext kinds inside completed TLS sessions, each opened with a hello carrying the token. */
    public ProtocolFuzz sessions() {
        return sessions;
    }

    /** TLS handshakes {@link #sessions()} completed so far. */
    public long handshakes() {
        return tlsDialer.handshakes();
    }

    /**
     * Holds {@code count} connections that never complete their handshake, as {@code mode} says, for
     * {@code holdMillis}, then waits at most {@code graceMillis} more for the server to close them.
     */
    public ProtocolFuzz.HeldResult holdHandshake(HandshakeHold mode, int count, long holdMillis, long graceMillis,
                                                 Runnable probe) throws IOException {
        byte[] hello = TlsGarbage.clientHello();
        byte[] sent = mode == HandshakeHold.HALF_HELLO ? Arrays.copyOf(hello, hello.length / 2) : hello;
        return HeldConnections.hold(tcp, "tls-" + mode.name().toLowerCase().replace('_', '-'), count, holdMillis, graceMillis, probe,
                new HeldConnections.Script() {
                    @Override
                    public void opened(Socket s) throws IOException {
                        if (mode != HandshakeHold.SILENT) {
                            s.getOutputStream().write(sent);
                        }
                    }
                });
    }

    private ProtocolFuzz.KindResult garbage(String kind, int frames, Function<TlsGarbage, byte[]> make) {
        return bursts.burst(kind, frames, seed, threadSeed -> {
            TlsGarbage g = new TlsGarbage(threadSeed);
            Supplier<byte[]> next = () -> make.apply(g);
            return next;
        });
    }
}
