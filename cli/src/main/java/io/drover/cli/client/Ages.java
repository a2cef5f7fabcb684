package io.drover.cli.client;

import java.time.Duration;

/** Short human forms of durations for tables and progress lines: 850ms, 12s, 4m05s, 3h02m, 2d04h. */
final class Ages {
    private Ages() {
    }

    static String compact(Duration d) {
        if (d.isNegative()) {
            return "-" + compact(d.negated());
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return String.format("%dd%02dh", s / 86_400, (s % 86_400) / 3600);
    }
}
