package io.drover.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** The lines are the ones logback's PatternLayout made from the patterns Drover used before. */
class LineLayoutTest {
    private final LoggerContext context = new LoggerContext();

    @Test
    void stderrLinesAsThePatternMadeThem() {
        assertSame(LineLayout.console(), "%d{HH:mm:ss.SSS} %-5level %-22logger{0} %msg%n");
    }

    @Test
    void fileLinesAsThePatternMadeThem() {
        assertSame(LineLayout.file(), "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0} %msg%n");
    }

    @Test
    void theSimpleNameOfALogger() {
        assertThat(LineLayout.simpleName("io.drover.agent.Agent")).isEqualTo("Agent");
        assertThat(LineLayout.simpleName("root")).isEqualTo("root");
    }

    private void assertSame(LineLayout ours, String pattern) {
        PatternLayout theirs = new PatternLayout();
        theirs.setContext(context);
        theirs.setPattern(pattern);
        theirs.start();
        ours.setContext(context);
        ours.start();
        IOException cause = new IOException("disk full");
        Exception thrown = new UncheckedIOException("cannot write the journal", cause);
        thrown.addSuppressed(new IllegalStateException("and the close failed"));
        for (LoggingEvent event : new LoggingEvent[] {
                event("io.drover.agent.Agent", Level.INFO, "agent {} joined", null, "a1"),
                event("io.drover.agent.link.CoordinatorLinkWithAVeryLongName", Level.WARN, "lost the link", null),
                event("root", Level.ERROR, "failed: {}", thrown, "journal"),
                event("x.Y", Level.DEBUG, "no arguments {}", null)}) {
            assertThat(ours.doLayout(event)).isEqualTo(theirs.doLayout(event));
        }
    }

    private LoggingEvent event(String logger, Level level, String message, Throwable thrown, Object... args) {
        LoggingEvent event = new LoggingEvent("fqcn", context.getLogger(logger), level, message, thrown, args);
        event.setThreadName("agent-heartbeat-1");
        return event;
    }
}
