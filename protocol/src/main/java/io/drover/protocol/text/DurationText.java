package io.drover.protocol.text;

/** Short human forms of durations for operator views: 850ms, 12s, 4m12s, 20m, 1h55m, 2h, 2d04h. */
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
}
