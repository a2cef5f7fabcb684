package io.drover.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.systemtest.Walkthrough.Step;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follows README.md's walkthrough blocks (see {@link Walkthrough}) command by command with real
 * processes, and compares what each prints (stdout and stderr, as a terminal shows them) with what
 * README shows, so README cannot drift from the product.
 *
 * <p>What the test changes, and nothing else: {@code bin/drover} is this build's {@code DroverCli}
 * on the test's class path (with {@code -Ddrover.home} at the checkout, as the script sets); the
 * commands run in an empty temporary directory with a temporary {@code HOME} and
 * {@code XDG_DATA_HOME}, so the development cluster starts fresh; the coordinator listens on a free
 * port instead of 7420 and {@code DROVER_COORDINATORS} names it (README's 7420 in shown output
 * means that port); paths under {@code /tmp/} move into the temporary directory. {@code mvn}
 * commands are not run (this test runs inside one).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReadmeWalkthroughTest {
    private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();
    private static final Duration SERVICE_READY = Duration.ofSeconds(60);
    private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private final List<Process> services = new ArrayList<>();
    private int port;

    @Test
    void gettingStartedRunsAsReadmeShowsIt() throws Exception {
        List<Step> steps = Walkthrough.parse(Files.readString(CHECKOUT.resolve("README.md")));
        assertThat(steps).extracting(Step::command).as("the getting-started commands README must keep checkable")
                .contains("bin/drover demo", "bin/drover coordinator --dev", "bin/drover agent --work-dir /tmp/agent1",
                        "bin/drover submit --shards 4 --wait -- echo hi", "bin/drover status j1-1", "bin/drover jobs",
                        "bin/drover init my-job");
        port = freePort();
        Files.createDirectories(tmp.resolve("cwd"));
        for (int i = 0; i < steps.size(); i++) {
            run(i, steps.get(i));
        }
    }

    private void run(int index, Step step) throws IOException, InterruptedException {
        List<String> words = Walkthrough.words(step.command());
        if (words.get(0).equals("mvn")) {
            return;
        }
        assertThat(words.get(0)).as("README.md line %d: a walkthrough runs bin/drover commands only", step.line())
                .isEqualTo("bin/drover");
        List<String> args = words.subList(1, words.size()).stream()
                .map(w -> w.startsWith("/tmp/") ? tmp.resolve(w.substring("/tmp/".length())).toString() : w)
                .collect(Collectors.toCollection(ArrayList::new));
        if (args.contains("coordinator") && args.contains("--dev")) {
            args.addAll(List.of("--listen", "127.0.0.1:" + port));
        }
        List<String> expected = step.expected().stream().map(l -> l.replace("127.0.0.1:7420", "127.0.0.1:" + port))
                .toList();
        Path log = tmp.resolve("step-" + index + ".log");
        Process process = start(args, log);
        String what = "README.md line " + step.line() + ": $ " + step.command();
        if (step.background()) {
            services.add(process);
            await().atMost(SERVICE_READY).pollInterval(Duration.ofMillis(200))
                    .until(() -> !process.isAlive() || Walkthrough.firstUnmatched(expected, lines(log)).isEmpty());
            assertThat(process.isAlive()).as("%s exited early:%n%s", what, Files.readString(log)).isTrue();
            return;
        }
        if (!process.waitFor(COMMAND_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            destroy(process);
            throw new AssertionError(what + " did not finish within " + COMMAND_DEADLINE + ":\n" + Files.readString(log));
        }
        assertThat(process.exitValue()).as("%s exit code; it printed:%n%s", what, Files.readString(log)).isZero();
        assertThat(Walkthrough.firstUnmatched(expected, lines(log)))
                .as("%s: a line README shows (in order) that the command did not print; it printed:%n%s", what,
                        Files.readString(log))
                .isEmpty();
    }

    private Process start(List<String> args, Path log) throws IOException {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes")) // this module's logback-test.xml is not what users see
                .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Ddrover.home=" + CHECKOUT, "-cp", classPath,
                "io.drover.cli.DroverCli"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.resolve("cwd").toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("DROVER_"));
        pb.environment().put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        pb.environment().put("XDG_DATA_HOME", tmp.resolve("xdg").toString());
        pb.environment().put("DROVER_COORDINATORS", "127.0.0.1:" + port);
        return pb.start();
    }

    private static List<String> lines(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8).lines().toList();
    }

    @AfterEach
    void stopServices() {
        for (int i = services.size() - 1; i >= 0; i--) {
            destroy(services.get(i)); // agent first, then the coordinator
        }
    }

    private static void destroy(Process p) {
        List<ProcessHandle> children = p.descendants().toList(); // an agent's worker JVMs
        p.destroy();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
