package io.drover.coordinator.schedule;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * Cron arithmetic with Quartz's {@link CronExpression}, the same code the triggers fire by, so
 * "missed" and "next" times agree with what Quartz does, daylight-saving transitions included.
 * A parsed expression is not shared between threads.
 */
public final class CronTimes {
    /** Counting missed times stops here; an outage of a 1-second schedule longer than a day says "at least". */
    static final int MAX_SCAN = 100_000;

    private CronTimes() {
    }

    /** Cron times that passed unfired: the latest few (ascending) and how many there were. */
    public record Missed(List<Long> latest, long count) {
        public Missed {
            latest = List.copyOf(latest);
        }
    }

    /**
     * Parses {@code cron} in {@code zone}.
     *
     * @throws IllegalArgumentException naming the expression or zone and what is wrong with it
     */
    public static CronExpression parse(String cron, String zone) {
        TimeZone tz = zone(zone);
        if (cron == null || cron.isBlank()) {
            throw new IllegalArgumentException("cron expression is required, e.g. \"0 */5 * * * ?\"");
        }
        CronExpression expression;
        try {
            expression = new CronExpression(cron);
        } catch (ParseException e) {
            throw new IllegalArgumentException("invalid cron expression '" + cron + "': " + e.getMessage()
                    + " (Quartz cron: seconds minutes hours day-of-month month day-of-week [year])", e);
        }
        expression.setTimeZone(tz);
        return expression;
    }

    /** @throws IllegalArgumentException for an unknown zone id (the JDK would silently use GMT) */
    public static TimeZone zone(String zone) {
        if (zone == null || zone.isBlank()) {
            throw new IllegalArgumentException("time zone is required, e.g. \"UTC\" or \"Europe/Berlin\"");
        }
        try {
            return TimeZone.getTimeZone(ZoneId.of(zone));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + zone + "': " + e.getMessage(), e);
        }
    }

    /** Up to {@code n} cron times strictly after {@code afterMs}, ascending. */
    public static List<Long> next(CronExpression cron, long afterMs, int n) {
        List<Long> out = new ArrayList<>(n);
        Date t = new Date(afterMs);
        while (out.size() < n && (t = cron.getTimeAfter(t)) != null) {
            out.add(t.getTime());
        }
        return out;
    }

    /** Cron times in ({@code afterMs}, {@code untilMs}]: the latest {@code keep} of them and the count. */
    public static Missed missed(CronExpression cron, long afterMs, long untilMs, int keep) {
        ArrayDeque<Long> latest = new ArrayDeque<>(keep);
        long count = 0;
        Date t = new Date(afterMs);
        while (count < MAX_SCAN && (t = cron.getTimeAfter(t)) != null && t.getTime() <= untilMs) {
            count++;
            if (latest.size() == keep) {
                latest.removeFirst();
            }
            latest.addLast(t.getTime());
        }
        if (count == MAX_SCAN && t != null && t.getTime() <= untilMs) {
            return new Missed(latestBefore(cron, untilMs, keep), count); // count is a floor
        }
        return new Missed(new ArrayList<>(latest), count);
    }

    /** Quartz cannot step backwards: walk forward from a point near the end until {@code keep} times are found. */
    private static List<Long> latestBefore(CronExpression cron, long untilMs, int keep) {
        long span = 1_000;
        while (true) {
            long from = untilMs - span;
            List<Long> found = new ArrayList<>();
            Date t = new Date(from);
            while ((t = cron.getTimeAfter(t)) != null && t.getTime() <= untilMs) {
                found.add(t.getTime());
            }
            if (found.size() >= keep || span > 400L * 24 * 3600 * 1000) {
                return found.subList(Math.max(0, found.size() - keep), found.size());
            }
            span *= 4;
        }
    }
}
