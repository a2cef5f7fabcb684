package io.drover.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLoggingTest {
    @TempDir
    Path dir;

    @Test
    void stderrAtTheLevelAskedForAndTheChattyLibrariesAtWarn() {
        LoggerContext context = new LoggerContext();
        ConsoleLogging.apply(context, LogSettings.from(name -> null, "debug"));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
        assertThat(root.getAppender("ERR")).isInstanceOfSatisfying(ConsoleAppender.class, a -> {
            assertThat(a.getTarget()).isEqualTo("System.err");
            assertThat(a.isStarted()).isTrue();
            assertThat(a.getCopyOfAttachedFiltersList()).isEmpty();
        });
        assertThat(root.getAppender("FILE")).isNull();
        assertThat(context.getLogger("org.apache.zookeeper.ClientCnxn").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.apache.thrift").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.drover.agent.Agent").getEffectiveLevel()).isEqualTo(Level.DEBUG);
        context.stop();
    }

    @Test
    void aLogFileRollsBySizeIntoGzippedFilesBesideIt() throws IOException {
        Path file = dir.resolve("log/drover-agent-app.log"); // log/ does not exist yet: made on start
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's SLF4J provider sets in a process
        ConsoleLogging.apply(context, LogSettings.from(Map.of(LogSettings.FILE, file.toString(),
                LogSettings.MAX_FILE_SIZE, "1KB", LogSettings.STDERR_LEVEL, "error")::get, null));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("FILE")).isInstanceOfSatisfying(RollingFileAppender.class,
                a -> assertThat(a.isStarted()).isTrue());
        assertThat(root.getAppender("ERR").getCopyOfAttachedFiltersList()).hasSize(1);
        Logger log = context.getLogger("io.drover.agent.Agent");
        log.info("first line");
        // Logback looks at the file's size at most every 60 ms or so: log until it has rolled once.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            log.info("a line of padding to go past one kilobyte");
            return rolled(".0.log").isPresent() || rolled(".0.log.gz").isPresent();
        });
        context.stop(); // waits for the compression of the rolled file
        Path rolled = rolled(".0.log.gz").orElseThrow();
        assertThat(rolled.getFileName().toString()).matches("drover-agent-app\\.\\d{4}-\\d\\d-\\d\\d\\.0\\.log\\.gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(rolled))) {
            String first = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
            assertThat(first).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[[^]]+] Agent first line");
        }
        assertThat(file).exists();
    }

    private Optional<Path> rolled(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("log"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).findFirst();
        }
    }

    @Test
    void settingsFromTheSystemProperties() {
        LogSettings defaults = LogSettings.from(name -> null, null);
        assertThat(defaults).isEqualTo(LogSettings.stderrOnly(Level.INFO));
        assertThat(defaults.maxFileSize().getSize()).isEqualTo(50L * 1024 * 1024);
        LogSettings set = LogSettings.from(Map.of(LogSettings.FILE, "/var/log/x/app.log", LogSettings.MAX_FILE_SIZE, "10MB",
                LogSettings.MAX_HISTORY, "3", LogSettings.TOTAL_SIZE_CAP, "1GB", LogSettings.STDERR_LEVEL, "warn")::get, "WARN");
        assertThat(set.level()).isEqualTo(Level.WARN);
        assertThat(set.file()).contains(Path.of("/var/log/x/app.log"));
        assertThat(set.maxFileSize().getSize()).isEqualTo(10L * 1024 * 1024);
        assertThat(set.maxHistory()).isEqualTo(3);
        assertThat(set.totalSizeCap().getSize()).isEqualTo(1024L * 1024 * 1024);
        assertThat(set.stderrLevel()).contains(Level.WARN);
        assertThat(set.archivePattern()).isEqualTo("/var/log/x/app.%d{yyyy-MM-dd}.%i.log.gz");
        assertThat(LogSettings.from(Map.of(LogSettings.FILE, "/tmp/agent.out")::get, null).archivePattern())
                .isEqualTo("/tmp/agent.out.%d{yyyy-MM-dd}.%i.gz");
    }

    @Test
    void aValueThatIsNotOneIsNamed() {
        assertThatThrownBy(() -> LogSettings.from(Map.of(LogSettings.MAX_FILE_SIZE, "big")::get, null))
                .hasMessageContaining("drover.log.maxFileSize=big");
        assertThatThrownBy(() -> LogSettings.from(Map.of(LogSettings.MAX_HISTORY, "0")::get, null))
                .hasMessageContaining("drover.log.maxHistory=0");
        assertThatThrownBy(() -> LogSettings.from(Map.of(LogSettings.MAX_HISTORY, "week")::get, null))
                .hasMessageContaining("drover.log.maxHistory=week");
        assertThatThrownBy(() -> LogSettings.from(Map.of(LogSettings.STDERR_LEVEL, "loud")::get, null))
                .hasMessageContaining("drover.log.stderrLevel=loud");
        assertThatThrownBy(() -> LogSettings.from(Map.of(LogSettings.FILE, "/tmp/100%.log")::get, null))
                .hasMessageContaining("'%'");
    }

    @Test
    void infoUnlessAValidLevelIsNamed() {
        assertThat(LogSettings.level(null)).isEqualTo(Level.INFO);
        assertThat(LogSettings.level(" ")).isEqualTo(Level.INFO);
        assertThat(LogSettings.level("loud")).isEqualTo(Level.INFO);
        assertThat(LogSettings.level("warn")).isEqualTo(Level.WARN);
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
