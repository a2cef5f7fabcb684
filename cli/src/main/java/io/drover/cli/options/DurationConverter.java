package io.drover.cli.options;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses durations the way operators type them: {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 2h}, {@code 1d}, compounds of those with the largest unit first ({@code 1h30m},
 * {@code 2m30s}, {@code 1d2h}), a bare number of seconds, or ISO-8601 ({@code PT30S}).
 */
public final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SECONDS = Pattern.compile("\\d{1,12}");
    private static final Pattern COMPOUND = Pattern.compile("(?:\\d{1,12}(?:ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
    /** The units, largest first: a compound must use each at most once, in this order. */
    private static final List<String> UNITS = List.of("d", "h", "m", "s", "ms");

    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** @throws IllegalArgumentException naming the text when it is not a duration */
    public static Duration parse(String text) {
        String t = text.trim();
        if (SECONDS.matcher(t).matches()) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (COMPOUND.matcher(lower).matches()) {
            Duration total = Duration.ZERO;
            int previous = -1;
            Matcher m = PART.matcher(lower);
            while (m.find()) {
                int unit = UNITS.indexOf(m.group(2));
                if (unit <= previous) {
                    throw new IllegalArgumentException("'" + text + "' is not a duration: give each unit once, "
                            + "largest unit first (e.g. 1h30m)");
                }
                previous = unit;
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            }
            return total;
        }
        try {
            Duration d = Duration.parse(t);
            if (d.isNegative()) {
                throw new IllegalArgumentException("'" + text + "' is negative; durations must not be");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (try 500ms, 30s, 5m, 2h, 1d or 1h30m)", e);
        }
    }
}
