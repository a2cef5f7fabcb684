package io.drover.agent.exec;

import io.drover.agent.task.Execution;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.TaskAssignment;
import io.drover.sdk.internal.WireLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a process job's command once per task, in {@code <tasksDir>/<jobId>/<task>}, with the job
 * arguments appended and the shard described in the environment:
 * {@code DROVER_JOB_ID}, {@code DROVER_ATTEMPT_ID}, {@code DROVER_SHARD_INDEX},
 * {@code DROVER_SHARD_COUNT}, {@code DROVER_SHARD_PARAM} (when the shard has one) and, for the
 * reduce task, {@code DROVER_REDUCE_INPUTS} (a directory holding the shard results as files named
 * by shard index).
 *
 * <p>Exit 0: SUCCEEDED with the last {@link WireLimits#MAX_RESULT_BYTES} bytes of stdout as the
 * value. Non-zero: FAILED with the exit code and the end of stderr. Interrupted (cancel, timeout,
 * agent shutdown): the whole process tree is killed.
 */
public final class ProcessTaskExecutor implements TaskExecutor {
    private static final int STDERR_TAIL_BYTES = 2048;

    private final Path tasksDir;

    public ProcessTaskExecutor(Path tasksDir) {
        this.tasksDir = tasksDir;
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
        Path dir = tasksDir.resolve(safeName(job.jobId())).resolve(Integer.toString(task.task()));
        Path stdout = dir.resolve("attempt-" + task.attemptId() + ".stdout");
        Path stderr = dir.resolve("attempt-" + task.attemptId() + ".stderr");
        Process process;
        try {
            Files.createDirectories(dir);
            ProcessBuilder builder = new ProcessBuilder(commandLine(job)).directory(dir.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            environment(builder.environment(), task, job, dir);
            process = builder.start();
        } catch (IOException e) {
            // Not REJECTED: the command may exist on other agents, so let the coordinator retry.
            return Execution.failed("cannot start " + job.command() + " in " + dir + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close(); // the task gets no input
            int exit = process.waitFor();
            return exit == 0 ? succeeded(stdout) : failed(exit, stderr);
        } catch (IOException e) {
            return Execution.failed("reading the output of " + job.command() + " failed: " + e);
        } finally {
            if (process.isAlive()) {
                ProcessTree.kill(process);
            }
        }
    }

    private static List<String> commandLine(JobDescription job) {
        List<String> line = new ArrayList<>(job.command());
        line.addAll(job.arguments());
        return line;
    }

    private static void environment(Map<String, String> env, TaskAssignment task, JobDescription job, Path dir) throws IOException {
        env.put("DROVER_JOB_ID", job.jobId());
        env.put("DROVER_ATTEMPT_ID", Long.toString(task.attemptId()));
        env.put("DROVER_SHARD_INDEX", Integer.toString(task.task()));
        env.put("DROVER_SHARD_COUNT", Integer.toString(job.shardCount()));
        task.shardParameter().ifPresent(p -> env.put("DROVER_SHARD_PARAM", p));
        if (task.reduceTask()) {
            Path inputs = Files.createDirectories(dir.resolve("reduce-inputs-" + task.attemptId()));
            for (int i = 0; i < task.reduceInputs().size(); i++) {
                Files.write(inputs.resolve(Integer.toString(i)), task.reduceInputs().get(i));
            }
            env.put("DROVER_REDUCE_INPUTS", inputs.toString());
        }
    }

    private static Execution succeeded(Path stdout) throws IOException {
        return Execution.succeeded(FileTail.read(stdout, WireLimits.MAX_RESULT_BYTES));
    }

    private static Execution failed(int exit, Path stderr) throws IOException {
        String tail = new String(FileTail.read(stderr, STDERR_TAIL_BYTES), StandardCharsets.UTF_8).strip();
        return Execution.failed("exit code " + exit + (tail.isEmpty() ? " (stderr empty)" : "; end of stderr:\n" + tail));
    }

    /** A job id as a directory name: no separators, no "..". */
    static String safeName(String jobId) {
        String safe = jobId.replaceAll("[^A-Za-z0-9_-]", "_");
        return safe.isEmpty() ? "_" : safe;
    }
}
