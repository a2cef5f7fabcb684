package io.drover.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import example.app.SdkOnlyClient;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application with only the SDK's runtime class path (the SDK, the protocol module, libthrift,
 * slf4j-api) in a child JVM: without a logging backend it prints no SLF4J warning; with one, the
 * SDK's log lines reach it; an application that asks SLF4J to report still gets its report.
 */
class SdkLoggingTest {
    /** slf4j-simple, copied by the build next to the test classes but kept off every class path. */
    private static final Path SIMPLE_BACKEND = Path.of("target", "test-logging", "slf4j-simple.jar");

    @TempDir
    Path tmp;

    @Test
    void anApplicationWithoutABackendGetsNoSlf4jWarning() throws Exception {
        Run run = client(List.of());

        assertThat(run.stdout).as(run.stderr).startsWith("refused: ");
        assertThat(run.stderr).doesNotContain("SLF4J");
    }

    @Test
    void anApplicationWithABackendStillGetsTheSdksLogLines() throws Exception {
        assertThat(SIMPLE_BACKEND).as("copied by the sdk build").exists();
        Run run = client(List.of(SIMPLE_BACKEND.toAbsolutePath().toString()),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug");

        assertThat(run.stdout).as(run.stderr).startsWith("refused: ");
        assertThat(run.stderr).contains("io.drover.protocol.CoordinatorConnection").doesNotContain("SLF4J(W)");
    }

    @Test
    void anApplicationThatAsksSlf4jToReportStillGetsItsReport() throws Exception {
        Run run = client(List.of(), "-Dslf4j.internal.verbosity=INFO");

        assertThat(run.stderr).contains("No SLF4J providers were found");
    }

    private record Run(String stdout, String stderr) {
    }

    private Run client(List<String> extraClassPath, String... jvmOptions) throws IOException, InterruptedException {
        List<String> classPath = new ArrayList<>(sdkRuntimeClassPath());
        classPath.add(Path.of(SdkOnlyClient.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString());
        classPath.addAll(extraClassPath);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", String.join(File.pathSeparator, classPath)));
        command.addAll(Arrays.asList(jvmOptions));
        command.addAll(List.of(SdkOnlyClient.class.getName(), "127.0.0.1:" + closedPort()));
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the client ends").isTrue();
        } finally {
            p.destroyForcibly();
        }
        return new Run(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The entries of this test's class path that an application embedding the SDK has too. */
    private static List<String> sdkRuntimeClassPath() {
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String e = entry.replace('\\', '/');
            if (e.endsWith("/sdk/target/classes") || e.contains("/protocol/target/") || e.contains("drover-protocol")
                    || e.contains("/libthrift-") || e.contains("/slf4j-api-")) {
                out.add(entry);
            }
        }
        assertThat(out).as("the SDK, the protocol, libthrift and slf4j-api").hasSize(4);
        return out;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
