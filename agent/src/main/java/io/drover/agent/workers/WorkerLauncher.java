package io.drover.agent.workers;

import io.drover.agent.platform.CredentialVariables;
import io.drover.agent.platform.PrivateFiles;
import io.drover.agent.worker.WorkerMain;
import io.drover.sdk.ShardedJob;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts worker JVMs: {@code java} from the agent's own {@code java.home}, a class path of only
 * what a worker needs (the agent jar for {@link WorkerMain}, the SDK, the protocol, libthrift, slf4j-api), the
 * heap of the pool, and the operator's extra options last. The worker's stdout and stderr go to
 * {@code <dir>/worker-<id>.log} (the attempts' own output goes to their files); a JVM crash report
 * goes to {@code <dir>/hs_err-worker-<id>-pid<pid>.log}. The worker's stdin stays a pipe the agent
 * never writes: its end-of-file tells the worker that the agent is gone.
 */
final class WorkerLauncher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerLauncher.class);

    private final String agentId;
    private final Path dir;
    private final WorkerSettings settings;
    private final Runnable onBreak;
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final String classPath;
    private final AtomicInteger nextId = new AtomicInteger();
    private WorkerListener listener; // opened on first start; guarded by this
    private boolean closed; // guarded by this

    /** {@code onBreak}: runs when a pipelined worker's link breaks (on its reader thread). */
    WorkerLauncher(String agentId, Path dir, WorkerSettings settings, Runnable onBreak) {
        this.onBreak = onBreak;
        this.agentId = agentId;
        this.dir = dir;
        this.settings = settings;
        this.classPath = classPath();
    }

    /**
     * Starts a worker and waits until it has connected back.
     *
     * @throws WorkerStartException when the JVM cannot start, exits first, or does not connect in time
     */
    WorkerProcess start(PoolKey key) throws WorkerStartException, InterruptedException {
        WorkerListener listener = listener();
        WorkerListener.Expectation expectation = listener.expect();
        int id = nextId.incrementAndGet();
        Path logFile = dir.resolve("worker-" + id + ".log");
        ProcessBuilder builder = new ProcessBuilder(command(id, key.heapMb())).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        CredentialVariables.strip(builder.environment()); // job code runs in the worker: not the agent's token
        builder.environment().put(WorkerMain.PORT_ENV, Integer.toString(listener.port()));
        builder.environment().put(WorkerMain.TOKEN_ENV, expectation.token());
        long started = System.nanoTime();
        Process process;
        try {
            PrivateFiles.directories(dir);
            PrivateFiles.file(logFile);
            process = builder.start();
        } catch (IOException e) {
            listener.forget(expectation.token());
            throw new WorkerStartException("cannot start a worker JVM with " + java + ": " + e.getMessage(), e);
        }
        WorkerLink.Greeting greeting = awaitConnection(process, expectation, listener, logFile);
        if (greeting.hello().getPid() != process.pid()) {
            greeting.link().close();
            process.destroyForcibly();
            throw new WorkerStartException("worker " + id + " (pid " + process.pid() + ") connected claiming pid " + greeting.hello().getPid());
        }
        WorkerProcess worker;
        try {
            worker = new WorkerProcess(id, key, process, greeting.link(), logFile,
                    dir.resolve("hs_err-worker-" + id + "-pid" + process.pid() + ".log"), onBreak);
        } catch (TTransportException e) {
            greeting.link().close();
            process.destroyForcibly();
            throw new WorkerStartException("worker " + id + " (pid " + process.pid() + "): cannot use its connection: " + e.getMessage(), e);
        }
        log.info("agent {}: started {} in {} ms", agentId, worker, (System.nanoTime() - started) / 1_000_000);
        return worker;
    }

    private WorkerLink.Greeting awaitConnection(Process process, WorkerListener.Expectation expectation, WorkerListener listener,
                                                Path logFile) throws WorkerStartException, InterruptedException {
        CompletableFuture<WorkerLink.Greeting> greeting = expectation.greeting();
        try {
            CompletableFuture.anyOf(greeting, process.onExit()).get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (greeting.isDone()) {
                return greeting.join();
            }
            String output = tail(logFile);
            throw new WorkerStartException("the worker JVM exited with status " + process.exitValue() + " before connecting to the agent"
                    + (output.isEmpty() ? "" : "; it printed:\n" + output));
        } catch (TimeoutException e) {
            throw new WorkerStartException("the worker JVM did not connect to the agent within " + settings.startTimeout().toSeconds()
                    + " s; it printed:\n" + tail(logFile));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof WorkerStartException w ? w : new WorkerStartException("starting the worker JVM failed: " + cause, cause);
        } finally {
            if (!greeting.isDone() || greeting.isCompletedExceptionally()) {
                listener.forget(expectation.token());
                process.destroyForcibly();
                deleteQuietly(logFile);
            }
        }
    }

    /** The command line; public knobs first, the operator's options after Drover's so they win. */
    List<String> command(int id, long heapMb) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-Xmx" + heapMb + "m");
        command.add("-XX:+UseSerialGC"); // a worker runs one task: no GC threads to spare on a shared host
        command.add("-XX:+PerfDisableSharedMem"); // no hsperfdata file left behind by a killed worker
        command.add("-XX:ErrorFile=" + dir.resolve("hs_err-worker-" + id + "-pid%p.log"));
        command.add("-Ddrover.agent=" + agentId); // names the owner in `ps`
        command.add("-Ddrover.worker=" + id);
        command.add("-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider"); // libthrift's logs: none wanted
        command.add("-Dslf4j.internal.verbosity=WARN");
        command.addAll(settings.jvmOptions());
        command.add("-cp");
        command.add(classPath);
        command.add(WorkerMain.class.getName());
        return command;
    }

    private synchronized WorkerListener listener() throws WorkerStartException {
        if (closed) {
            throw new WorkerStartException("the agent is closing");
        }
        if (listener == null) {
            try {
                listener = WorkerListener.open("drover-" + agentId + "-worker-listener");
            } catch (IOException e) {
                throw new WorkerStartException("cannot open a loopback port for workers to connect to: " + e, e);
            }
        }
        return listener;
    }

    /** The jars (or class directories) holding the worker, the SDK, the worker protocol, libthrift and slf4j-api, in that order. */
    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> type : List.of(WorkerMain.class, ShardedJob.class, io.drover.protocol.worker.WorkerService.class,
                org.apache.thrift.TBase.class, org.slf4j.LoggerFactory.class)) {
            entries.add(location(type));
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot tell where " + type.getName() + " was loaded from; workers need it on their class path");
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("class path entry of " + type.getName() + " is not a file: " + source.getLocation(), e);
        }
    }

    private static String tail(Path logFile) {
        try {
            if (!Files.exists(logFile)) {
                return "";
            }
            String text = Files.readString(logFile).strip();
            return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
        } catch (IOException | UncheckedIOException e) {
            return "(its output " + logFile + " is unreadable: " + e + ")";
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("deleting {}: {}", file, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (listener != null) {
            listener.close();
        }
    }
}
