package io.drover.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Drover's logging when nothing else is asked for: one readable line per event on stderr (time,
 * level, component, message), level from {@code DROVER_LOG_LEVEL} (INFO), ZooKeeper, Curator and
 * Thrift at WARN. Built in code rather than from an XML file because parsing XML costs every
 * process, idle agents included, about 500 classes (logback's configuration model and the JDK's
 * XML parser) that stay loaded for the process's life. A {@code logback.configurationFile}
 * property (the Ansible roles set one) or a {@code logback-test.xml} on the class path (tests)
 * wins: logback's own XML configurator then runs as before.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %-22logger{0} %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || ConsoleLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context, System.getenv("DROVER_LOG_LEVEL"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Stderr at the given level (null: INFO), the chatty libraries at WARN. */
    static void apply(LoggerContext context, String levelName) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> err = new ConsoleAppender<>();
        err.setContext(context);
        err.setName("ERR");
        err.setTarget("System.err");
        err.setEncoder(encoder);
        err.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(levelName));
        root.addAppender(err);
        for (String quiet : new String[] {"org.apache.zookeeper", "org.apache.curator", "org.apache.thrift"}) {
            context.getLogger(quiet).setLevel(Level.WARN);
        }
    }

    /** The level DROVER_LOG_LEVEL names (any case), INFO when unset or not a level, as the XML file's default did. */
    static Level level(String name) {
        return name == null || name.isBlank() ? Level.INFO : Level.toLevel(name.trim(), Level.INFO);
    }
}
