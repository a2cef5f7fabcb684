package io.drover.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One line per event, written directly: what the patterns {@code %d{HH:mm:ss.SSS} %-5level
 * %-22logger{0} %msg%n} (stderr) and {@code %d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread]
 * %logger{0} %msg%n} (the log file) give, a stack trace after the line as logback prints it. Not
 * logback's {@code PatternLayout}: its converter table alone loads about 150 classes (a lambda per
 * conversion word, the parser, the colour converters), and they stay in every process for good,
 * idle agents included (README: Idle agent memory).
 */
final class LineLayout extends LayoutBase<ILoggingEvent> {
    private final DateTimeFormatter time;
    private final boolean thread;
    private final int loggerWidth;

    private LineLayout(String timePattern, boolean thread, int loggerWidth) {
        this.time = DateTimeFormatter.ofPattern(timePattern).withZone(ZoneId.systemDefault());
        this.thread = thread;
        this.loggerWidth = loggerWidth;
    }

    /** Stderr's lines: the time of day, the level, the logger's simple name in 22 columns, the message. */
    static LineLayout console() {
        return new LineLayout("HH:mm:ss.SSS", false, 22);
    }

    /** The file's lines: the date too, and the thread. */
    static LineLayout file() {
        return new LineLayout("yyyy-MM-dd HH:mm:ss.SSS", true, 0);
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        time.formatTo(event.getInstant(), line);
        line.append(' ');
        pad(line, event.getLevel().levelStr, 5);
        line.append(' ');
        if (thread) {
            line.append('[').append(event.getThreadName()).append("] ");
        }
        pad(line, simpleName(event.getLoggerName()), loggerWidth);
        line.append(' ').append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)); // each line of it ends with a separator
        }
        return line.toString();
    }

    /** What {@code %logger{0}} prints: the part after the last dot. */
    static String simpleName(String loggerName) {
        return loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }

    private static void pad(StringBuilder line, String text, int width) {
        line.append(text);
        for (int i = text.length(); i < width; i++) {
            line.append(' ');
        }
    }
}
