package io.drover.agent.exec;

import io.drover.agent.platform.CredentialVariables;
import io.drover.agent.platform.PrivateFiles;
import io.drover.agent.platform.NamedThreads;
import io.drover.agent.contain.Containment;
import io.drover.agent.contain.Enclosure;
import io.drover.agent.launch.LauncherException;
import io.drover.agent.launch.NativeLauncher;

import io.drover.agent.logs.CappedOutput;
import io.drover.agent.logs.OutputPump;
import io.drover.agent.logs.StreamKind;
import io.drover.agent.logs.TaskOutputs;
import io.drover.agent.task.Execution;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.TaskAssignment;
import io.drover.protocol.WireLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a process job's command once per task, with the job arguments appended, in the job's
 * working directory (default: the task's own directory {@code <tasksDir>/<jobId>/<task>}), with
 * the job's environment plus the shard described in {@code DROVER_*} variables:
 * {@code DROVER_JOB_ID}, {@code DROVER_ATTEMPT_ID}, {@code DROVER_SHARD_INDEX},
 * {@code DROVER_SHARD_COUNT}, {@code DROVER_SHARD_PARAM} (when the shard has one),
 * {@code DROVER_TASK_DIR}, {@code DROVER_RESULT_FILE} (where the command may write its result) and,
 * for the reduce task, {@code DROVER_REDUCE_INPUTS} (a directory holding the shard results as files
 * named by shard index, those kept as blobs fetched from the coordinator) and, for a job that depends
 * on others, {@code DROVER_UPSTREAM_RESULTS} (a directory, see {@link UpstreamFiles}).
 *
 * <p>Started through the native launcher while it is usable ({@link NativeTaskRun}: one exec, its reaper copies
 * the output and stops the attempt), else through the JDK as follows. stdout and stderr are pumped into the
 * attempt's capped output files (see {@link TaskOutputs}).
 * Exit 0: SUCCEEDED; the value is the content of {@code DROVER_RESULT_FILE} if the command wrote
 * it (inline, as a blob or rejected by size, see {@link ResultFiles#fromFile}), else the last
 * {@link WireLimits#MAX_RESULT_BYTES} bytes of stdout. Non-zero: FAILED with the exit code and the
 * end of stderr (and the limit it hit, if it hit one). Interrupted (cancel, timeout, agent
 * shutdown): every process of the attempt is stopped, as the agent's {@link Containment} finds
 * them. The result file and the reduce inputs are removed when the attempt ends.
 *
 * <p>When the command exits by itself, cgroup containment kills what it left (its cgroup lists
 * them for free). Tracking does not hunt them down (that would cost a process-table scan per
 * task); the JDK closes a child's pipes once it has exited unless a reader is blocked on them at
 * that moment, and then a leftover that still holds the output open would block the pipe, so
 * after a short drain what the command left is killed and the task completes.
 */
public final class ProcessTaskExecutor implements TaskExecutor {
    private static final Logger log = LoggerFactory.getLogger(ProcessTaskExecutor.class);
    private static final int STDERR_TAIL_BYTES = 2048;
    /** After the command exits, how long its output may take to reach end of stream. */
    private static final Duration OUTPUT_DRAIN = Duration.ofMillis(500);

    private final TaskOutputs outputs;
    private final Containment containment;
    private final Duration killGrace;
    private final ExecutorService pumps;
    private final ResultFiles results;
    private final Optional<NativeLauncher> launcher;
    private final Optional<NativeTaskRun> nativeRuns;
    private final java.util.concurrent.atomic.LongAdder spawned = new java.util.concurrent.atomic.LongAdder();

    /** Results within the inline limit only. */
    public ProcessTaskExecutor(TaskOutputs outputs, Containment containment, Duration killGrace, String agentId) {
        this(outputs, containment, killGrace, agentId, ResultFiles.inlineOnly());
    }

    /**
     * {@code results}: how result files over the inline limit are stored, and reduce inputs and the results
     * of upstream jobs kept as blobs fetched.
     */
    public ProcessTaskExecutor(TaskOutputs outputs, Containment containment, Duration killGrace, String agentId,
                               ResultFiles results) {
        this(outputs, containment, killGrace, agentId, results, Optional.empty());
    }

    /**
     * {@code launcher}: the native launcher that starts tasks while it is {@linkplain NativeLauncher#usable usable}
     * (the JDK starts them otherwise); closed with this executor.
     */
    public ProcessTaskExecutor(TaskOutputs outputs, Containment containment, Duration killGrace, String agentId,
                               ResultFiles results, Optional<NativeLauncher> launcher) {
        this.launcher = launcher;
        this.nativeRuns = launcher.map(l -> new NativeTaskRun(l, outputs, killGrace));
        this.outputs = outputs;
        this.containment = containment;
        this.killGrace = killGrace;
        this.pumps = Executors.newCachedThreadPool(new NamedThreads("drover-" + agentId + "-output", true));
        this.results = results;
    }

    @Override
    public void prepare(JobDescription job) throws TaskRejectedException {
        if (job.command().isEmpty()) {
            throw new TaskRejectedException("process job " + job.jobId() + " has no command");
        }
    }

    @Override
    public Execution execute(TaskAssignment task, JobDescription job) throws TaskRejectedException, InterruptedException {
        prepare(job);
        Path taskDir = outputs.taskDir(job.jobId(), task.task());
        TaskOutput output = TaskOutput.of(outputs.tasksDir(), job.jobId(), task.task(), task.attemptId());
        Path resultFile = ResultFiles.resultFile(output).toAbsolutePath();
        Path reduceInputs = taskDir.resolve("reduce-inputs-" + task.attemptId());
        Enclosure enclosure;
        try {
            enclosure = containment.enclose(task.attemptId(), containment.limits().withJobMemoryMb(job.memoryMb()));
        } catch (IOException e) {
            return Execution.failed("cannot contain the task's processes (" + containment.mechanism() + ") on this agent: " + e);
        }
        try (enclosure) {
            return run(task, job, taskDir, resultFile, reduceInputs, enclosure);
        } finally {
            removeQuietly(resultFile);
            if (task.reduceTask()) {
                removeTreeQuietly(reduceInputs); // blob inputs may be large: not kept past the attempt
            }
            if (!job.upstream().isEmpty()) {
                removeTreeQuietly(UpstreamFiles.dir(taskDir, task.attemptId())); // links to cached blobs: not kept either
            }
        }
    }

    private Execution run(TaskAssignment task, JobDescription job, Path taskDir, Path resultFile, Path reduceInputs,
                          Enclosure enclosure) throws InterruptedException {
        long prepareNanos = System.nanoTime();
        long startNanos;
        Path workDir;
        Map<String, String> env;
        Process process;
        try {
            PrivateFiles.directories(taskDir);
            Files.deleteIfExists(resultFile);
            if (task.reduceTask()) {
                try {
                    writeReduceInputs(task, reduceInputs);
                } catch (IOException e) {
                    return Execution.failed("cannot fetch the reduce task's inputs: " + e.getMessage());
                }
            }
            Path upstream = null;
            if (!job.upstream().isEmpty()) {
                try {
                    upstream = UpstreamFiles.write(taskDir, task.attemptId(), job.upstream(), results);
                } catch (IOException e) {
                    return Execution.failed("cannot fetch the results of the job's upstream jobs: " + e.getMessage());
                }
            }
            workDir = workingDirectory(job, taskDir);
            env = new HashMap<>(System.getenv());
            environment(env, task, job, taskDir, resultFile, reduceInputs);
            if (upstream != null) {
                env.put("DROVER_UPSTREAM_RESULTS", upstream.toString());
            }
        } catch (IOException e) {
            // Not REJECTED: the command or directory may exist on other agents, so let the coordinator retry.
            return Execution.failed("cannot start " + job.command() + " on this agent: " + e.getMessage());
        }
        if (nativeRuns.isPresent() && launcher.orElseThrow().usable()) {
            Optional<Execution> done = runNative(nativeRuns.get(), task, job, env, workDir, resultFile, enclosure);
            if (done.isPresent()) {
                return done.get();
            }
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(enclosure.launch(commandLine(job))).directory(workDir.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            enclosure.environment(builder.environment());
            startNanos = System.nanoTime();
            process = builder.start();
            spawned.increment();
        } catch (IOException e) {
            // Not REJECTED: the command or directory may exist on other agents, so let the coordinator retry.
            return Execution.failed("cannot start " + job.command() + " on this agent: " + e.getMessage());
        }
        Running running;
        try {
            running = capture(process, task, job);
        } catch (IOException e) {
            enclosure.stop(process, Duration.ZERO);
            return Execution.failed("cannot capture the output of " + job.command() + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close(); // the task gets no input
            long startedNanos = System.nanoTime();
            int exit = process.waitFor();
            long exitedNanos = System.nanoTime();
            Optional<String> limitHit = exit == 0 ? Optional.empty() : enclosure.limitHit();
            awaitOutput(running, process, enclosure);
            if (log.isDebugEnabled()) {
                // Where a short task's time goes on the agent (agent/README.md, "What a process task costs").
                log.debug("attempt {}: prepared in {} ms, started in {} ms, exited after {} ms, output drained in {} ms",
                        task.attemptId(), millis(startNanos - prepareNanos), millis(startedNanos - startNanos),
                        millis(exitedNanos - startedNanos), millis(System.nanoTime() - exitedNanos));
            }
            return exit == 0 ? succeeded(running.stdout, resultFile) : failed(exit, limitHit, running.stderr);
        } catch (IOException e) {
            return Execution.failed("reading the output of " + job.command() + " failed: " + e);
        } finally {
            if (process.isAlive()) {
                enclosure.stop(process, killGrace);
                awaitQuietly(running.pumped, OUTPUT_DRAIN);
            }
        }
    }

    /** Through the native launcher; empty when it could not take the task (nothing ran: the JDK starts it). */
    private Optional<Execution> runNative(NativeTaskRun runs, TaskAssignment task, JobDescription job, Map<String, String> env,
                                          Path workDir, Path resultFile, Enclosure enclosure) throws InterruptedException {
        NativeTaskRun.Outcome outcome;
        try {
            outcome = runs.run(task.attemptId(), job.jobId(), task.task(), commandLine(job), env, workDir, enclosure);
        } catch (LauncherException e) {
            log.warn("attempt {}: the native launcher cannot take it ({}); starting it through the JDK", task.attemptId(),
                    e.getMessage());
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(Execution.failed("running " + job.command() + " failed: " + e.getMessage()));
        }
        try {
            if (outcome.startFailure() != null) {
                return Optional.of(Execution.failed("cannot start " + job.command() + " on this agent: " + outcome.startFailure()));
            }
            spawned.increment();
            int exit = outcome.exitCode();
            Optional<String> limitHit = exit == 0 ? Optional.empty() : enclosure.limitHit();
            return Optional.of(exit == 0 ? succeeded(outcome.stdout(), resultFile) : failed(exit, limitHit, outcome.stderr()));
        } catch (IOException e) {
            return Optional.of(Execution.failed("reading the output of " + job.command() + " failed: " + e));
        }
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e6);
    }

    private record Running(Path stdout, Path stderr, CompletableFuture<Void> pumped) {
    }

    private Running capture(Process process, TaskAssignment task, JobDescription job) throws IOException {
        CappedOutput out = outputs.open(job.jobId(), task.task(), task.attemptId(), StreamKind.STDOUT);
        CappedOutput err;
        try {
            err = outputs.open(job.jobId(), task.task(), task.attemptId(), StreamKind.STDERR);
        } catch (IOException e) {
            out.close();
            throw e;
        }
        CompletableFuture<Void> pumped = CompletableFuture.allOf(
                OutputPump.start(process.getInputStream(), out, pumps),
                OutputPump.start(process.getErrorStream(), err, pumps));
        return new Running(out.file(), err.file(), pumped);
    }

    /**
     * Waits for both outputs to end. Cgroup containment has killed what the command left already;
     * if something it started still holds them open, that is killed (see {@link Enclosure#killLeftovers});
     * if even that does not end them, the pumps are left to finish on their own and the task's
     * result is what was written so far.
     */
    private void awaitOutput(Running running, Process process, Enclosure enclosure) throws InterruptedException {
        enclosure.ended(process);
        if (await(running.pumped, OUTPUT_DRAIN)) {
            return;
        }
        log.info("{} (pid {}) exited but its output is still held open by processes it started; killing them",
                process.info().commandLine().orElse("the task"), process.pid());
        enclosure.killLeftovers(process);
        if (!await(running.pumped, OUTPUT_DRAIN)) {
            log.warn("output of process {} is still open after killing what it left: a process out of reach holds it",
                    process.pid());
        }
    }

    private static boolean await(CompletableFuture<Void> pumped, Duration wait) throws InterruptedException {
        try {
            pumped.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            log.warn("copying task output failed", e.getCause());
            return true;
        }
    }

    private static void awaitQuietly(CompletableFuture<Void> pumped, Duration wait) {
        try {
            await(pumped, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path workingDirectory(JobDescription job, Path taskDir) throws IOException {
        if (job.workingDirectory().isEmpty()) {
            return taskDir;
        }
        Path dir = Path.of(job.workingDirectory().get());
        if (dir.isAbsolute()) {
            if (!Files.isDirectory(dir)) {
                throw new IOException("working directory " + dir + " does not exist");
            }
            return dir;
        }
        Path inside = taskDir.resolve(dir).normalize();
        if (!inside.startsWith(taskDir)) {
            throw new IOException("working directory " + dir + " leaves the task's directory");
        }
        return Files.createDirectories(inside);
    }

    private static List<String> commandLine(JobDescription job) {
        List<String> line = new ArrayList<>(job.command());
        line.addAll(job.arguments());
        return line;
    }

    private static void environment(Map<String, String> env, TaskAssignment task, JobDescription job, Path taskDir,
                                    Path resultFile, Path reduceInputs) throws IOException {
        CredentialVariables.strip(env); // inherited from the agent: its token must not reach job code
        env.putAll(job.environment());
        env.put("DROVER_JOB_ID", job.jobId());
        env.put("DROVER_ATTEMPT_ID", Long.toString(task.attemptId()));
        env.put("DROVER_SHARD_INDEX", Integer.toString(task.task()));
        env.put("DROVER_SHARD_COUNT", Integer.toString(job.shardCount()));
        env.put("DROVER_TASK_DIR", taskDir.toAbsolutePath().toString());
        env.put("DROVER_RESULT_FILE", resultFile.toString());
        task.shardParameter().ifPresent(p -> env.put("DROVER_SHARD_PARAM", p));
        if (task.reduceTask()) {
            env.put("DROVER_REDUCE_INPUTS", reduceInputs.toAbsolutePath().toString());
        }
    }

    /** The shard results as files named by shard index; those kept as blobs are fetched from the coordinator. */
    private void writeReduceInputs(TaskAssignment task, Path dir) throws IOException, InterruptedException {
        PrivateFiles.directories(dir);
        for (int i = 0; i < task.reduceInputs().size(); i++) {
            if (!task.reduceInputBlobs().containsKey(i)) {
                PrivateFiles.write(dir.resolve(Integer.toString(i)), task.reduceInputs().get(i));
            }
        }
        results.fetchInputs(task, shard -> dir.resolve(Integer.toString(shard)));
    }

    /** The result file when the command wrote one, else the end of stdout as before result files existed. */
    private Execution succeeded(Path stdout, Path resultFile) throws IOException, InterruptedException {
        if (Files.exists(resultFile, LinkOption.NOFOLLOW_LINKS)) {
            return results.fromFile(resultFile);
        }
        return Execution.succeeded(FileTail.read(stdout, WireLimits.MAX_RESULT_BYTES));
    }

    private static void removeQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", file, e.toString());
        }
    }

    private static void removeTreeQuietly(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(ProcessTaskExecutor::removeQuietly);
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", dir, e.toString());
        }
    }

    private static Execution failed(int exit, Optional<String> limitHit, Path stderr) throws IOException {
        String tail = new String(FileTail.read(stderr, STDERR_TAIL_BYTES), StandardCharsets.UTF_8).strip();
        return Execution.failed(limitHit.map(hit -> hit + "; ").orElse("") + "exit code " + exit
                + (tail.isEmpty() ? " (stderr empty)" : "; end of stderr:\n" + tail));
    }

    /** Task processes started since the agent started; for metrics. */
    public long processesSpawned() {
        return spawned.sum();
    }

    /** How tasks start now: "native" (the launcher) or "jdk"; for metrics and logs. */
    public String launcherInUse() {
        return launcher.filter(NativeLauncher::usable).isPresent() ? "native" : "jdk";
    }

    /** The containment mechanism ("cgroup" or "tracked"); for metrics. */
    public String containmentMechanism() {
        return containment.mechanism();
    }

    /** Called once the supervisor stopped every attempt: removes what containment made for them. */
    @Override
    public void close() {
        launcher.ifPresent(NativeLauncher::close);
        pumps.shutdown();
        containment.close();
    }
}
