package io.drover.cli.server;

import io.drover.agent.AgentConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.drover.agent.contain.ContainmentMode;
import io.drover.agent.contain.ContainmentSettings;
import io.drover.agent.launch.LauncherMode;
import io.drover.agent.contain.TaskLimits;
import io.drover.agent.workers.WorkerSettings;
import io.drover.protocol.Endpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Option parsing only; running the command blocks until the JVM is signalled. */
class AgentCommandTest {
    @Test
    void parsesEveryOption() {
        AgentCommand command = new AgentCommand();
        new CommandLine(command).parseArgs("--coordinators", "c1:7420,c2:7421", "--id", "edge-7", "--slots", "3",
                "--label", "zone=eu-1", "--label", "gpu=true", "--work-dir", "/var/lib/drover", "--poll-wait", "750ms",
                "--worker-heap", "2048", "--worker-max-tasks", "50", "--worker-idle-timeout", "30s",
                "--worker-jvm-option=-XX:+UseParallelGC", "--worker-jvm-option", "-Dfoo=bar", "--queue-ahead", "2", "--worker-pipeline", "3",
                "--containment", "cgroup", "--memory-limit", "2GiB", "--pids-limit", "512", "--launcher", "jdk");

        AgentConfig c = command.config();

        assertThat(c.coordinators()).containsExactly(new Endpoint("c1", 7420), new Endpoint("c2", 7421));
        assertThat(c.agentId()).isEqualTo("edge-7");
        assertThat(c.slots()).isEqualTo(3);
        assertThat(c.queueAhead()).isEqualTo(2);
        assertThat(c.capacity()).as("registered as the agent's slots").isEqualTo(5);
        assertThat(c.labels()).containsEntry("zone", "eu-1").containsEntry("gpu", "true");
        assertThat(c.workDir()).isEqualTo(Path.of("/var/lib/drover"));
        assertThat(c.pollWait()).isEqualTo(Duration.ofMillis(750));
        assertThat(c.workers()).isEqualTo(WorkerSettings.defaults().withDefaultHeapMb(2048).withMaxTasksPerWorker(50)
                .withIdleTimeout(Duration.ofSeconds(30)).withJvmOptions(List.of("-XX:+UseParallelGC", "-Dfoo=bar")).withPipelineDepth(3));
        assertThat(c.containment()).isEqualTo(new ContainmentSettings(ContainmentMode.CGROUP, new TaskLimits(2L << 30, 512),
                LauncherMode.JDK));
    }

    @Test
    void defaultsAreUsable() {
        AgentCommand command = new AgentCommand();
        new CommandLine(command).parseArgs();

        AgentConfig c = command.config();

        String expected = System.getenv("DROVER_COORDINATORS") != null ? System.getenv("DROVER_COORDINATORS") : "127.0.0.1:7420";
        assertThat(c.coordinators()).isEqualTo(Endpoint.parseList(expected));
        assertThat(AgentConfig.isValidAgentId(c.agentId())).isTrue();
        assertThat(c.slots()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(c.queueAhead()).isEqualTo(Runtime.getRuntime().availableProcessors()); // as many as the slots
        assertThat(c.workDir()).isEqualTo(Path.of("./drover-agent-work"));
        assertThat(c.pollWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.workers()).isEqualTo(WorkerSettings.defaults());
        assertThat(c.containment()).isEqualTo(ContainmentSettings.DEFAULTS);
    }

    @Test
    void badContainmentSettingsSayWhatIsAllowed() {
        assertThat(catchThrowable(() -> parse("--containment", "jail"))).hasMessageContaining("auto, cgroup or tracked");
        assertThat(catchThrowable(() -> parse("--launcher", "fork"))).hasMessageContaining("auto, native or jdk");
        assertThat(catchThrowable(() -> parse("--memory-limit", "1k"))).hasMessageContaining("at least 4 MiB");
        assertThat(catchThrowable(() -> parse("--pids-limit", "-1"))).hasMessageContaining("pids limit");
    }

    @Test
    void badWorkerSettingsNameTheField() {
        assertThat(catchThrowable(() -> parse("--worker-heap", "4")))
                .hasMessageContaining("defaultHeapMb must be 16..");
        assertThat(catchThrowable(() -> parse("--worker-jvm-option", "-cp")))
                .hasMessageContaining("not a class path");
    }

    @Test
    void idDefaultsToTheHostNameAndAWorkDirHashSoTwoAgentsOnOneHostDiffer(@TempDir Path tmp) {
        AgentConfig a = parse("--work-dir", tmp.resolve("a").toString());
        AgentConfig b = parse("--work-dir", tmp.resolve("b").toString());
        String host = AgentCommand.idFromHostName(a.host());

        assertThat(a.agentId()).matches(Pattern.quote(host) + "-[a-z2-7]{4}");
        assertThat(b.agentId()).matches(Pattern.quote(host) + "-[a-z2-7]{4}").isNotEqualTo(a.agentId());
        assertThat(parse("--work-dir", tmp.resolve("x/../a").toString()).agentId())
                .as("the same work dir, however written: the same id").isEqualTo(a.agentId());
        assertThat(AgentCommand.idFromHostName("edge 7/ü.example")).isEqualTo("edge-7--.example");
        assertThat(AgentConfig.isValidAgentId(AgentCommand.defaultId("h".repeat(300), tmp))).isTrue();
    }

    @Test
    void idStoredInTheWorkDirIsTheDefault(@TempDir Path workDir) throws IOException {
        Files.writeString(workDir.resolve("agent-id"), "kept-7\n");

        assertThat(parse("--work-dir", workDir.toString()).agentId()).isEqualTo("kept-7");
        assertThat(parse("--work-dir", workDir.toString(), "--id", "explicit-1").agentId()).isEqualTo("explicit-1");
    }

    @Test
    void invalidStoredIdIsIgnored(@TempDir Path workDir) throws IOException {
        Files.writeString(workDir.resolve("agent-id"), "../not an id");

        AgentConfig c = parse("--work-dir", workDir.toString());

        assertThat(c.agentId()).isEqualTo(AgentCommand.defaultId(c.host(), workDir));
    }

    private static AgentConfig parse(String... args) {
        AgentCommand command = new AgentCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }

    @Test
    void badDurationIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AgentCommand()).setErr(new PrintWriter(err));

        int exit = cli.execute("--poll-wait", "soon");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }

    @Test
    void helpDescribesTheCommand() {
        StringWriter out = new StringWriter();
        new CommandLine(new AgentCommand()).setOut(new PrintWriter(out)).execute("--help");

        assertThat(out.toString()).contains("Usage: agent", "--coordinators", "--label=KEY=VALUE", "--poll-wait", "--worker-heap",
                "--worker-max-tasks", "--worker-idle-timeout", "--worker-jvm-option", "--worker-pipeline");
    }
}
