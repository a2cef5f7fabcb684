package io.drover.bench.fuzz;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of a fuzz run against one port: what was sent ({@code frames} in all, of which
 * {@code sessionFrames} inside completed TLS sessions, over {@code handshakes} handshakes), the
 * coordinator before and after, a line per kind, and what went wrong.
 *
 * @param port "plaintext" or "tls"
 */
public record FuzzVerdict(String port, long frames, long connections, long sessionFrames, long handshakes,
                          long leadershipChanges, List<String> kinds, ProcessProbe before, ProcessProbe after, long logBytes,
                          List<String> failures) {
    public FuzzVerdict {
        kinds = List.copyOf(kinds);
        failures = List.copyOf(failures);
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "fuzz port=%s frames=%d connections=%d tls_session_frames=%d tls_handshakes=%d "
                        + "leadership_changes=%d coordinator_before: %s coordinator_after: %s log_bytes_written=%d verdict=%s",
                port, frames, connections, sessionFrames, handshakes, leadershipChanges, before, after, logBytes,
                passed() ? "PASS" : "FAIL " + failures);
    }
}
