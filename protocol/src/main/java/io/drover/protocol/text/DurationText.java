package io.drover.protocol.text;

import java.time.Duration;

/**
 * Short human forms of durations, the one formatter for text the leader sends in views and for
 * the CLI's tables and progress lines. Two shapes, because they answer different questions:
 * <ul>
 *   <li>{@link #compact}: a setting or a deadline, as an operator would type it: 850ms, 12s,
 *       4m12s, 20m, 1h55m, 2h, 2d04h (a zero second unit is left out).
 *   <li>{@link #age}: how long something has been going, always two units past a minute so
 *       columns keep their shape: 850ms, 12s, 4m05s, 20m00s, 3h02m, 2d04h.
 * </ul>
 */
public final class DurationText {
    private DurationText() {
    }

    public static String compact(long ms) {
        if (ms < 0) {
            return "-" + compact(-ms);
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s % 60 == 0 ? s / 60 + "m" : String.format("%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            long minutes = (s % 3600) / 60;
            return minutes == 0 ? s / 3600 + "h" : String.format("%dh%02dm", s / 3600, minutes);
        }
        long hours = (s % 86_400) / 3600;
        return hours == 0 ? s / 86_400 + "d" : String.format("%dd%02dh", s / 86_400, hours);
    }

    /** "in 1h55m", or "now" when the time has come. */
    public static String in(long ms) {
        return ms <= 0 ? "now" : "in " + compact(ms);
    }

    /** An elapsed time or age; negative ones (clock skew) keep their sign. */
    public static String age(Duration d) {
        if (d.isNegative()) {
            return "-" + age(d.negated());
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
