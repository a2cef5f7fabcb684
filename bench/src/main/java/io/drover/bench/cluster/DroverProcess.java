package io.drover.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code drover} subcommand running as its own JVM, with output in a log file. Killing it
 * with {@link #kill()} is a real SIGKILL; {@link #pause()}/{@link #resume()} are SIGSTOP/SIGCONT.
 */
public final class DroverProcess implements AutoCloseable {
    private final String name;
    private final List<String> prefix;
    private final List<String> args;
    private final Map<String, String> environment;
    private final Path log;
    private final List<String> jvmOptions;
    private Process process;

    /**
     * {@code prefix} runs before java, e.g. {@code ip netns exec edge1} to start it in a namespace;
     * {@code environment} is set over this JVM's, without the {@link ProcessSecurity#INHERITED_SETTINGS}.
     */
    DroverProcess(String name, List<String> prefix, List<String> args, Map<String, String> environment, Path log) {
        this(name, prefix, args, environment, log, List.of());
    }

    /** {@code jvmOptions} come after the defaults below, so they win (the last -Xmx counts). */
    DroverProcess(String name, List<String> prefix, List<String> args, Map<String, String> environment, Path log,
                  List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(jvmOptions);
        this.name = name;
        this.prefix = List.copyOf(prefix);
        this.args = List.copyOf(args);
        this.environment = Map.copyOf(environment);
        this.log = log;
    }

    /** Starts (or restarts) the process with the same arguments, appending to the same log. */
    public DroverProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.drover.cli.DroverCli");
        cmd.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            ProcessSecurity.INHERITED_SETTINGS.forEach(builder.environment()::remove);
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        return this;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL, and wait until it is gone. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void pause() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    private void signal(String sig) {
        try {
            Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("kill -" + sig + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
    }

    /** SIGTERM, then SIGKILL if it does not stop within 10 s. */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    @Override
    public String toString() {
        return name + (isAlive() ? " (pid " + process.pid() + ")" : " (stopped)");
    }
}
