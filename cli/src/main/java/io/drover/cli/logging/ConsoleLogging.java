package io.drover.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Drover's logging when nothing else is asked for: one readable line per event on stderr (time,
 * level, component, message: {@link LineLayout}), level from {@code DROVER_LOG_LEVEL} (INFO), ZooKeeper, Curator and
 * Thrift at WARN; with {@code -Ddrover.log.file=...} also a rolling, size-capped file (see
 * {@link LogSettings}: the Ansible roles' services log this way). Built in code rather than from an
 * XML file because parsing XML costs every process, idle agents included, about 500 classes
 * (logback's configuration model and the JDK's XML parser) that stay loaded for the process's life.
 * A {@code logback.configurationFile} property or a {@code logback-test.xml} on the class path
 * (tests) wins: logback's own XML configurator then runs as before.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || ConsoleLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        String levelName = System.getenv("DROVER_LOG_LEVEL");
        LogSettings settings;
        try {
            settings = LogSettings.from(System::getProperty, levelName);
        } catch (IllegalArgumentException e) {
            // Logging to stderr, with the reason on it, beats a process that will not start over its log file.
            apply(context, LogSettings.stderrOnly(LogSettings.level(levelName)));
            context.getLogger(ConsoleLogging.class).error("logging to stderr only: {}", e.getMessage());
            return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
        }
        apply(context, settings);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Stderr (above its threshold, if any) and the rolling file (if any), the chatty libraries at WARN. */
    static void apply(LoggerContext context, LogSettings settings) {
        ConsoleAppender<ILoggingEvent> err = new ConsoleAppender<>();
        err.setContext(context);
        err.setName("ERR");
        err.setTarget("System.err");
        err.setEncoder(encoder(context, LineLayout.console()));
        settings.stderrLevel().ifPresent(threshold -> {
            ThresholdFilter filter = new ThresholdFilter();
            filter.setContext(context);
            filter.setLevel(threshold.levelStr);
            filter.start();
            err.addFilter(filter);
        });
        err.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(settings.level());
        root.addAppender(err);
        if (settings.file().isPresent()) {
            root.addAppender(file(context, settings));
        }
        for (String quiet : new String[] {"org.apache.zookeeper", "org.apache.curator", "org.apache.thrift"}) {
            context.getLogger(quiet).setLevel(Level.WARN);
        }
    }

    private static RollingFileAppender<ILoggingEvent> file(LoggerContext context, LogSettings settings) {
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("FILE");
        file.setFile(settings.file().orElseThrow().toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(file);
        policy.setFileNamePattern(settings.archivePattern());
        policy.setMaxFileSize(settings.maxFileSize());
        policy.setMaxHistory(settings.maxHistory());
        policy.setTotalSizeCap(settings.totalSizeCap());
        policy.start();
        file.setRollingPolicy(policy);
        file.setEncoder(encoder(context, LineLayout.file()));
        file.start();
        return file;
    }

    private static LayoutWrappingEncoder<ILoggingEvent> encoder(LoggerContext context, LineLayout layout) {
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }
}
