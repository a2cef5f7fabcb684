package io.drover.bench.fuzz;

import java.util.List;
import java.util.Locale;

/** The outcome of a fuzz run: what was sent, the coordinator before and after, what went wrong. */
public record FuzzVerdict(long frames, long leadershipChanges, List<String> kinds, ProcessProbe before, ProcessProbe after, long logBytes,
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
        return String.format(Locale.ROOT, "fuzz frames=%d leadership_changes=%d coordinator_before: %s coordinator_after: %s log_bytes_written=%d verdict=%s",
                frames, leadershipChanges, before, after, logBytes, passed() ? "PASS" : "FAIL " + failures);
    }
}
