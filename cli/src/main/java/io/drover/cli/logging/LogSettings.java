package io.drover.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What {@link ConsoleLogging} sets up, from the process's system properties and {@code DROVER_LOG_LEVEL}:
 * <ul>
 *   <li>{@code drover.log.file}: also log to this file, rolled daily and at {@code drover.log.maxFileSize}
 *       (50MB) into gzipped {@code <name>.<date>.<i>.log.gz} beside it, keeping {@code drover.log.maxHistory}
 *       (7) days and at most {@code drover.log.totalSizeCap} (500MB) of them. Sizes in logback's syntax
 *       (KB, MB, GB). The Ansible roles' services log this way.</li>
 *   <li>{@code drover.log.stderrLevel}: only events at this level and above on stderr (default: all).</li>
 * </ul>
 *
 * @param level       the root level ({@code DROVER_LOG_LEVEL}, INFO when unset or not a level)
 * @param file        the rolling log file, if any
 * @param stderrLevel the threshold of stderr, if any
 */
record LogSettings(Level level, Optional<Path> file, FileSize maxFileSize, int maxHistory, FileSize totalSizeCap,
                   Optional<Level> stderrLevel) {
    static final String FILE = "drover.log.file";
    static final String MAX_FILE_SIZE = "drover.log.maxFileSize";
    static final String MAX_HISTORY = "drover.log.maxHistory";
    static final String TOTAL_SIZE_CAP = "drover.log.totalSizeCap";
    static final String STDERR_LEVEL = "drover.log.stderrLevel";

    /** Stderr only, every event at {@code level} and above: the settings when nothing is asked for. */
    static LogSettings stderrOnly(Level level) {
        return new LogSettings(level, Optional.empty(), FileSize.valueOf("50MB"), 7, FileSize.valueOf("500MB"), Optional.empty());
    }

    /**
     * @param properties     a system property by name (null when unset)
     * @param droverLogLevel {@code DROVER_LOG_LEVEL}
     * @throws IllegalArgumentException naming the property that holds no usable value
     */
    static LogSettings from(UnaryOperator<String> properties, String droverLogLevel) {
        Level level = level(droverLogLevel);
        Optional<Path> file = value(properties, FILE).map(LogSettings::path);
        FileSize maxFileSize = size(properties, MAX_FILE_SIZE, "50MB");
        FileSize totalSizeCap = size(properties, TOTAL_SIZE_CAP, "500MB");
        int maxHistory = value(properties, MAX_HISTORY).map(LogSettings::days).orElse(7);
        Optional<Level> stderrLevel = value(properties, STDERR_LEVEL).map(name -> {
            Level parsed = Level.toLevel(name, null);
            if (parsed == null) {
                throw new IllegalArgumentException(STDERR_LEVEL + "=" + name + " is not a level (TRACE, DEBUG, INFO, WARN, ERROR, OFF)");
            }
            return parsed;
        });
        return new LogSettings(level, file, maxFileSize, maxHistory, totalSizeCap, stderrLevel);
    }

    /** The level DROVER_LOG_LEVEL names (any case), INFO when unset or not a level, as the XML file's default did. */
    static Level level(String name) {
        return name == null || name.isBlank() ? Level.INFO : Level.toLevel(name.trim(), Level.INFO);
    }

    /**
     * Where the rolled files go, for logback's file name pattern: {@code app.log} rolls into
     * {@code app.2026-12-08.0.log.gz}, a name without {@code .log} into {@code name.2026-12-08.0.gz}.
     */
    String archivePattern() {
        String name = file.orElseThrow().toString();
        return name.endsWith(".log")
                ? name.substring(0, name.length() - ".log".length()) + ".%d{yyyy-MM-dd}.%i.log.gz"
                : name + ".%d{yyyy-MM-dd}.%i.gz";
    }

    private static Optional<String> value(UnaryOperator<String> properties, String name) {
        return Optional.ofNullable(properties.apply(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Path path(String value) {
        // '%' starts a conversion word in logback's file name patterns, so such a name would roll elsewhere.
        if (value.contains("%")) {
            throw new IllegalArgumentException(FILE + "=" + value + " contains '%'; name a log file without one");
        }
        try {
            return Path.of(value).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(FILE + "=" + value + " is not a file name: " + e.getMessage(), e);
        }
    }

    private static FileSize size(UnaryOperator<String> properties, String name, String fallback) {
        String value = value(properties, name).orElse(fallback);
        try {
            return FileSize.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a size (for example 50MB, 512KB, 1GB)", e);
        }
    }

    private static int days(String value) {
        try {
            int days = Integer.parseInt(value);
            if (days >= 1) {
                return days;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_HISTORY + "=" + value + " is not a number of days", e);
        }
        throw new IllegalArgumentException(MAX_HISTORY + "=" + value + ": keep at least 1 day of rolled logs");
    }
}
