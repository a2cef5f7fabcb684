package io.drover.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.bench.cluster.ProcessCluster;
import io.drover.sdk.Codecs;
import io.drover.sdk.DroverClient;
import io.drover.sdk.Isolation;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bin/drover agent} puts only the jars listed in {@code lib/agent.classpath} on the agent's class
 * path (the build writes the list). A jar missing from it would show only at run time, when the agent first
 * needs a class of it: here a real agent, started through the launcher of this build (dist/target), joins a
 * secure cluster, runs a JVM job in worker JVMs, one in its own JVM (in-agent, with a reduce), a process job,
 * and serves {@code /metrics} on {@code --http-listen}. The list holds no coordinator-only jar and no Bouncy
 * Castle. Logging as the Ansible role's service has it ({@code -Ddrover.log.file}, stderr at WARN): the file gets
 * the agent's lines, and neither Bouncy Castle nor logback's XML configurator or PatternLayout is ever loaded.
 */
class LauncherAgentClassPathTest {
    private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();
    private static final Path LIB = CHECKOUT.resolve("dist/target/lib");
    private static final Duration WAIT = Duration.ofSeconds(120);

    @RegisterExtension
    final ProcessGrid grid = new ProcessGrid("drover-launcher-cp-");

    @Test
    void anAgentStartedByTheLauncherRunsEveryKindOfTaskWithItsOwnClassPath() throws Exception {
        assumeTrue(Files.isRegularFile(LIB.resolve("agent.classpath")),
                "dist/target/lib/agent.classpath is made by `mvn package` of dist (before system-tests in a full build)");
        List<String> jars = Arrays.asList(Files.readString(LIB.resolve("agent.classpath")).trim().split(":"));
        assertThat(jars).allSatisfy(j -> assertThat(LIB.resolve(j.substring("lib/".length()))).isRegularFile());
        assertThat(jars).as("no coordinator, ZooKeeper, Netty or benchmark jar")
                .noneMatch(j -> j.matches("lib/(drover-coordinator|drover-web|drover-bench|zookeeper|curator|netty|quartz|guava).*"));
        assertThat(jars).as("no Bouncy Castle: the agent makes keys and reads PEM with the JDK").noneMatch(j -> j.startsWith("lib/bc"));

        ProcessCluster cluster = grid.cluster().startCoordinators(1);
        await().atMost(WAIT).until(() -> cluster.leader().isPresent());
        int httpPort;
        try (ServerSocket s = new ServerSocket(0)) {
            httpPort = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(CHECKOUT.resolve("bin/drover").toString(), "agent",
                "--coordinators", cluster.endpoints(), "--id", "launched", "--slots", "2",
                "--work-dir", grid.dir().resolve("launched").toString(), "--http-listen", "127.0.0.1:" + httpPort));
        cmd.addAll(cluster.agentArgs());
        Path log = grid.dir().resolve("launched.log");
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        ProcessCluster.inheritedSettings().forEach(builder.environment()::remove);
        builder.environment().remove("DROVER_AGENT_JAVA_OPTS");
        builder.environment().putAll(cluster.agentEnvironment());
        Path appLog = grid.dir().resolve("log/drover-agent-app.log");
        Path classes = grid.dir().resolve("classes.log");
        builder.environment().put("DROVER_JAVA_OPTS", "-Ddrover.log.file=" + appLog + " -Ddrover.log.stderrLevel=WARN"
                + " -Xlog:class+load:file=" + classes);
        Process agent = builder.start();
        try (DroverClient client = DroverClient.builder().endpoints(cluster.endpoints()).credentials(cluster.credentials())
                .retryDeadline(Duration.ofSeconds(60)).build()) {
            await().atMost(WAIT).ignoreExceptions().until(() -> client.agents().stream()
                    .anyMatch(a -> a.agentId().equals("launched") && a.state().equals("ALIVE")));
            Path jobs = Path.of("target", "jobs", "drover-job-examples.jar");
            for (Isolation isolation : Isolation.values()) {
                JobHandle primes = client.submit(JobSpec.jvm(jobs, "io.drover.examples.PrimeCount").name("primes-" + isolation)
                        .shards(4).arguments("20000").reduce(true).isolation(isolation).build());
                assertThat(primes.result(WAIT, Codecs.int64())).as("%s; agent log: %s", isolation, log).isEqualTo(2_262L);
            }
            JobHandle echo = client.submit(JobSpec.process(List.of("/bin/echo", "hi")).name("echo").shards(2).build());
            assertThat(echo.await(WAIT).state()).isEqualTo(JobState.SUCCEEDED);
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("drover_agent_");
            assertThat(Files.readString(log)).as("the agent's log").doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
            assertThat(Files.readString(log)).as("stderr: WARN and above only").doesNotContainPattern("(?m)^[0-9:.]{12} INFO ");
            assertThat(appLog).content().as("the log file").containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\d [0-9:.]{12} INFO  \\[.+] \\S+ ");
            assertThat(Files.readString(classes)).as("classes the agent loaded")
                    .doesNotContain("org.bouncycastle.", "ch.qos.logback.classic.joran.", "ch.qos.logback.core.model.", "ch.qos.logback.classic.PatternLayout ")
                    .contains("io.drover.cli.logging.LineLayout ");
            String cmdline = Files.readString(Path.of("/proc", Long.toString(agent.pid()), "cmdline")).replace('\0', ' ');
            assertThat(cmdline).contains("-XX:+UseSerialGC");
            if (new ProcessBuilder("java", "-XX:TrimNativeHeapInterval=30000", "-version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0) {
                assertThat(cmdline).as("a JVM that knows the flag gives free native memory back").contains("-XX:TrimNativeHeapInterval=30000");
            }
        } finally {
            agent.destroy();
            if (!agent.waitFor(20, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }
}
