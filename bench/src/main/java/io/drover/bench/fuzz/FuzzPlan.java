package io.drover.bench.fuzz;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntUnaryOperator;

/**
 * The kinds one fuzz run sends to a port, in order, with their counts at scale 1: about 100,000
 * frames on either port. On a TLS port most are garbage before any handshake; frames inside TLS
 * sessions cost a handshake each, so their number is given apart ({@code sessionFrames}).
 */
final class FuzzPlan {
    /** One kind: runs it (calling {@code probe} while connections are held) and says what it sent. */
    interface Step {
        Outcome run(Runnable probe) throws IOException;
    }

    /**
     * What one kind sent: its line, frames and connections; whether its frames went inside TLS
     * sessions; what is wrong with the port's answer, if anything (held handshakes left open).
     */
    record Outcome(String line, long frames, long connections, boolean inSession, Optional<String> failure) {
        static Outcome of(ProtocolFuzz.KindResult r, boolean inSession) {
            return new Outcome(r.toString(), r.frames(), r.connections(), inSession, Optional.empty());
        }

        static Outcome held(ProtocolFuzz.HeldResult r, Optional<String> failure) {
            return new Outcome(r.toString(), 0, r.connections(), false, failure);
        }
    }

    private FuzzPlan() {
    }

    /** Ten kinds of malformed plaintext frames and held connections, about 100,000 frames. */
    static List<Step> plaintext(ProtocolFuzz fuzz, IntUnaryOperator n, Duration hold) {
        long ms = hold.toMillis();
        return List.of(
                p -> Outcome.of(fuzz.randomBytes(n.applyAsInt(35_000)), false),
                p -> Outcome.of(fuzz.wrongFieldTypes(n.applyAsInt(20_000)), false),
                p -> Outcome.of(fuzz.missingFields(n.applyAsInt(200)), false),
                p -> Outcome.of(fuzz.deepNesting(n.applyAsInt(1_000), 20_000), false),
                p -> Outcome.of(fuzz.giantClaims(n.applyAsInt(10_000)), false),
                p -> Outcome.of(fuzz.badLengths(n.applyAsInt(20_000)), false),
                p -> Outcome.of(fuzz.truncated(n.applyAsInt(10_000)), false),
                p -> Outcome.held(fuzz.hold("idle", 64, 0, ms, p), Optional.empty()),
                p -> Outcome.held(fuzz.hold("slow", 16, 0, ms, p), Optional.empty()),
                p -> Outcome.held(fuzz.hold("starve", 64, 16 * 1024 * 1024 - 1, ms, p), Optional.empty()));
    }

    /**
     * About 100,000 garbage frames before any handshake, {@code sessionFrames} malformed frames
     * inside TLS sessions (spread over seven kinds), and connections that never finish their
     * handshake, held 2 s past {@code handshakeTimeout}: every one of those must be closed by then,
     * or within one more timeout.
     */
    static List<Step> tls(TlsFuzz fuzz, IntUnaryOperator n, int sessionFrames, Duration hold, Duration handshakeTimeout) {
        List<Step> steps = new ArrayList<>(List.of(
                p -> Outcome.of(fuzz.randomBytes(n.applyAsInt(20_000)), false),
                p -> Outcome.of(fuzz.badRecordLengths(n.applyAsInt(20_000)), false),
                p -> Outcome.of(fuzz.truncatedRecords(n.applyAsInt(15_000)), false),
                p -> Outcome.of(fuzz.cutClientHellos(n.applyAsInt(21_500)), false),
                // A ClientHello that still parses costs the server a handshake's key exchange and signature: few.
                p -> Outcome.of(fuzz.mangledClientHellos(n.applyAsInt(500)), false),
                p -> Outcome.of(fuzz.wrongRecordTypes(n.applyAsInt(13_000)), false),
                p -> Outcome.of(fuzz.plaintextFrames(n.applyAsInt(10_000)), false)));
        ProtocolFuzz in = fuzz.sessions();
        int each = Math.max(1, sessionFrames / 7);
        int perMethod = Math.max(1, each / Math.max(1, FuzzMethods.all().size()));
        steps.addAll(List.of(
                p -> Outcome.of(in.randomBytes(each), true),
                p -> Outcome.of(in.wrongFieldTypes(each), true),
                p -> Outcome.of(in.missingFields(perMethod), true),
                p -> Outcome.of(in.deepNesting(each, 20_000), true),
                p -> Outcome.of(in.giantClaims(each), true),
                p -> Outcome.of(in.badLengths(each), true),
                p -> Outcome.of(in.truncated(each), true)));
        // Held past the timeout (and the sweeper's period); those the server is still answering (it
        // runs handshakes on its selector threads, slow on a loaded machine) get one more timeout.
        long ms = Math.max(hold.toMillis(), handshakeTimeout.toMillis() + 2_000);
        long grace = handshakeTimeout.toMillis();
        for (TlsFuzz.HandshakeHold mode : TlsFuzz.HandshakeHold.values()) {
            steps.add(p -> {
                ProtocolFuzz.HeldResult r = fuzz.holdHandshake(mode, 64, ms, grace, p);
                long open = r.connections() - r.refusedConnects() - r.closedAfterGrace();
                return Outcome.held(r, open == 0 ? Optional.empty() : Optional.of(r.mode() + ": " + open
                        + " connections still open " + (ms + grace) + " ms into a handshake they never finished"
                        + " (handshake timeout " + handshakeTimeout.toMillis() + " ms)"));
            });
        }
        return steps;
    }
}
