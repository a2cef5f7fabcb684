package io.drover.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ConsoleLoggingTest {
    @Test
    void stderrAtTheLevelAskedForAndTheChattyLibrariesAtWarn() {
        LoggerContext context = new LoggerContext();
        ConsoleLogging.apply(context, "debug");
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
        assertThat(root.getAppender("ERR")).isInstanceOfSatisfying(ConsoleAppender.class, a -> {
            assertThat(a.getTarget()).isEqualTo("System.err");
            assertThat(a.isStarted()).isTrue();
        });
        assertThat(context.getLogger("org.apache.zookeeper.ClientCnxn").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.apache.thrift").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.drover.agent.Agent").getEffectiveLevel()).isEqualTo(Level.DEBUG);
        context.stop();
    }

    @Test
    void infoUnlessAValidLevelIsNamed() {
        assertThat(ConsoleLogging.level(null)).isEqualTo(Level.INFO);
        assertThat(ConsoleLogging.level(" ")).isEqualTo(Level.INFO);
        assertThat(ConsoleLogging.level("loud")).isEqualTo(Level.INFO);
        assertThat(ConsoleLogging.level("warn")).isEqualTo(Level.WARN);
    }

    @Test
    void logbackFindsItAsAService() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(ConsoleLogging.class);
    }

    @Test
    void aLogbackTestFileOnTheClassPathWins() {
        // This module's tests have src/test/resources/logback-test.xml: logback's XML configurator must run.
        assertThat(new ConsoleLogging().configure(new LoggerContext())).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    }
}
