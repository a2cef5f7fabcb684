package io.drover.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to its end as a user's shell would (its own working directory and environment),
 * with stdout and stderr in files so neither pipe can fill up, and a deadline after which the
 * process and its descendants are killed.
 */
final class ChildProcess {
    /** What a finished command left: its exit code and its output. */
    record Result(List<String> command, int code, String out, String err) {
        /** For assertion messages: the command and everything it printed. */
        String describe() {
            return String.join(" ", command) + " exited " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private ChildProcess() {
    }

    /** The {@code drover} command as this test JVM would run it: java, this class path, {@code DroverCli}. */
    static List<String> drover(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "io.drover.cli.DroverCli"));
        cmd.addAll(args);
        return cmd;
    }

    static Result run(List<String> command, Path cwd, Map<String, String> env, Duration deadline)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("drover-child-", ".out");
        Path err = Files.createTempFile("drover-child-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close(); // no stdin: a command that asks for input fails rather than hangs
            if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + deadline
                        + "\n--- stdout\n" + Files.readString(out) + "--- stderr\n" + Files.readString(err));
            }
            return new Result(command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
