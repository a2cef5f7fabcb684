package io.drover.agent.exec;

import io.drover.agent.platform.PrivateFiles;
import io.drover.agent.artifact.ArtifactCache;
import io.drover.agent.artifact.ArtifactException;
import io.drover.agent.task.ArtifactRef;
import io.drover.agent.task.AttemptFileNames;
import io.drover.agent.task.Execution;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.TaskAssignment;
import io.drover.agent.task.TaskOutcome;
import io.drover.protocol.ResultCodecNames;
import io.drover.protocol.worker.RunTask;
import io.drover.protocol.worker.TaskDone;
import io.drover.protocol.worker.TaskStatus;
import io.drover.protocol.worker.UpstreamInput;
import io.drover.agent.workers.PoolKey;
import io.drover.agent.workers.WorkerEnd;
import io.drover.agent.workers.WorkerLease;
import io.drover.agent.workers.WorkerPools;
import io.drover.agent.workers.WorkerSettings;
import io.drover.agent.workers.WorkerStartException;
import io.drover.protocol.WireLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs JVM tasks in warm child worker JVMs (see {@link WorkerPools}), so that nothing a job does
 * (System.exit, running out of heap, spinning forever, crashing the JVM) can take the agent down.
 *
 * <ul>
 *   <li>The worker's heap is the job's memoryMb, or the agent's default.
 *   <li>The attempt's System.out and System.err go to its files (see {@link TaskOutput}).
 *   <li>Cancel, timeout and agent shutdown interrupt the task thread: the worker and everything it
 *       started are killed, the attempt having already been reported by the supervisor.
 *   <li>A worker that exits, crashes or is killed mid-task fails the attempt (FAILED, retried per the
 *       job's policy) with an error saying what happened; what the JVM printed is appended to the
 *       attempt's stderr, and a JVM crash report is moved next to it.
 *   <li>An out-of-memory error fails the attempt and retires the worker.
 *   <li>With several tasks in flight per worker ({@link WorkerSettings#pipelineDepth}), a task queued
 *       in a worker that another task ended (exit, crash, out of memory, cancel, timeout) never
 *       started there: it is queued again in another worker, and after {@value #MAX_REQUEUES} such
 *       ends given back to the coordinator (CANCELLED, not counted against the task).
 * </ul>
 */
public final class WorkerTaskExecutor implements TaskExecutor {
    private static final Logger log = LoggerFactory.getLogger(WorkerTaskExecutor.class);
    /** Times an attempt is queued again after the worker it waited in ended; then it goes back to the coordinator. */
    static final int MAX_REQUEUES = 3;

    private final ArtifactCache artifacts;
    private final WorkerPools pools;
    private final WorkerSettings settings;
    private final Path tasksDir;
    private final long maxOutputBytes;
    private final ResultFiles results;

    /**
     * @param maxOutputBytes cap per attempt and stream on what a task writes to System.out/err; 0 = none
     */
    public WorkerTaskExecutor(ArtifactCache artifacts, WorkerPools pools, WorkerSettings settings, Path tasksDir,
                              long maxOutputBytes) {
        this(artifacts, pools, settings, tasksDir, maxOutputBytes, ResultFiles.inlineOnly());
    }

    /** {@code results}: how results over the inline limit are stored and reduce inputs kept as blobs fetched. */
    public WorkerTaskExecutor(ArtifactCache artifacts, WorkerPools pools, WorkerSettings settings, Path tasksDir,
                              long maxOutputBytes, ResultFiles results) {
        this.artifacts = artifacts;
        this.pools = pools;
        this.settings = settings;
        this.tasksDir = tasksDir;
        this.maxOutputBytes = maxOutputBytes;
        this.results = results;
    }

    /** Fetches the artifact, so the download does not count against the task timeout. */
    @Override
    public void prepare(JobDescription job) throws TaskRejectedException, InterruptedException {
        lease(job).close();
        job.entryClass().orElseThrow(() -> new TaskRejectedException("JVM job " + job.jobId() + " names no entry class"));
    }

    /** With several tasks in flight per worker, the pool bounds running tasks: never more workers than slots. */
    @Override
    public boolean boundsItself(JobDescription job) {
        return settings.pipelineDepth() > 1;
    }

    @Override
    public Execution execute(TaskAssignment task, JobDescription job) throws TaskRejectedException, InterruptedException {
        return execute(task, job, () -> { });
    }

    @Override
    public Execution execute(TaskAssignment task, JobDescription job, Runnable started)
            throws TaskRejectedException, InterruptedException {
        // Leased for the whole attempt: the worker may open the jar at any point of it.
        try (ArtifactCache.Lease jar = lease(job)) {
            return execute(task, job, started, jar.path());
        }
    }

    private Execution execute(TaskAssignment task, JobDescription job, Runnable started, Path jar)
            throws TaskRejectedException, InterruptedException {
        ArtifactRef artifact = job.artifact().orElseThrow();
        // The attempt's directory is made only when a file needs it: by the worker on the task's first output or
        // spilled result, here for fetched reduce inputs or a dead worker's report. A mkdir per task (a new inode)
        // was the agent's largest per-task cost of no-op worker tasks, most of which print nothing.
        TaskOutput output = TaskOutput.of(tasksDir, job.jobId(), task.task(), task.attemptId());
        if (!task.reduceInputBlobs().isEmpty()) {
            try {
                output.create();
            } catch (IOException e) {
                return Execution.failed("cannot create the task's output directory under " + tasksDir + ": " + e.getMessage());
            }
        }
        UpstreamInputs upstream = UpstreamInputs.none();
        boolean answeredInline = false;
        try {
            Map<Integer, String> inputFiles;
            try {
                inputFiles = results.fetchInputs(task, output); // before a worker is taken: it would idle meanwhile
            } catch (IOException e) {
                return Execution.failed("cannot fetch the reduce task's inputs: " + e.getMessage());
            }
            try {
                upstream = results.fetchUpstream(job.upstream());
            } catch (IOException e) {
                return Execution.failed("cannot fetch an upstream job's result: " + e.getMessage());
            }
            RunTask request = request(task, job, artifact, jar, output, inputFiles, upstream.list());
            Runnable once = once(started);
            PoolKey key = new PoolKey(artifact.sha256(), settings.heapMbFor(job.memoryMb()));
            WorkerLease lease;
            WorkerLease.Ran ran;
            int tries = 0;
            while (true) {
                try {
                    lease = pools.acquire(key);
                } catch (WorkerStartException e) {
                    return Execution.failed(e.getMessage());
                }
                try {
                    ran = lease.run(request, once);
                } catch (InterruptedException e) {
                    if (!lease.dropUnstarted()) {
                        lease.kill("its attempt " + task.attemptId() + " was stopped (cancel, timeout or agent shutdown)");
                    }
                    throw new InterruptedException("attempt " + task.attemptId() + " stopped");
                }
                if (ran.ending() != WorkerLease.Ending.NOT_STARTED) {
                    break;
                }
                // A task queued before this one ended its worker: this one never started there.
                lease.giveBack();
                if (++tries >= MAX_REQUEUES) {
                    log.info("{}: its worker ended before it started, {} times; giving it back", task, tries);
                    return Execution.withError(TaskOutcome.CANCELLED, "given back unstarted: " + tries
                            + " worker JVMs it was queued in ended before it started (see the attempts run there)");
                }
                log.debug("{}: its worker ended before it started; queueing it again", task);
            }
            if (ran.ending() == WorkerLease.Ending.DIED) {
                return died(lease, output, task);
            }
            TaskDone done = ran.done();
            // The worker writes the result file only for a result over the inline limit, so an inline answer left none.
            answeredInline = done.getStatus() == TaskStatus.SUCCEEDED && done.isSetValue() && task.reduceInputBlobs().isEmpty();
            Execution ex = finished(lease, done, task);
            // A result over the inline limit is in the attempt's file: stored on the coordinator before it is reported.
            return done.getStatus() == TaskStatus.SUCCEEDED && done.isSetResultSha256() ? results.store(done, output) : ex;
        } finally {
            upstream.close();
            if (!answeredInline) {
                results.cleanUp(task, output); // an unlink (two system calls) a no-op task need not pay
            }
        }
    }

    private Execution finished(WorkerLease lease, TaskDone done, TaskAssignment task) {
        if (done.isDirty()) {
            lease.retire("attempt " + task.attemptId() + " left it unsound: " + firstLine(done.getError()));
        } else {
            lease.release();
        }
        TaskStatus status = done.getStatus();
        if (status == TaskStatus.SUCCEEDED && done.isSetValue()) {
            // The worker runs job code: its codec name is checked again, as any input from it is.
            return Execution.succeeded(done.getValue(), ResultCodecNames.usable(done.getResultCodec()));
        }
        String error = done.isSetError() ? done.getError() : "the worker reported " + status + " without an error";
        return status == TaskStatus.REJECTED ? Execution.rejected(error) : Execution.failed(error);
    }

    /** The worker died mid-task: say how, and keep what it left next to the attempt's output. */
    private Execution died(WorkerLease lease, TaskOutput output, TaskAssignment task) throws InterruptedException {
        WorkerEnd end = lease.died();
        try {
            output.create();
        } catch (IOException e) {
            log.warn("cannot create {} for the worker's crash report and output: {}", output.dir(), e.toString());
        }
        if (end.crashReport().isPresent()) {
            Path moved = output.sibling(".hs_err.log");
            try {
                Files.move(end.crashReport().get(), moved, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(moved, PrivateFiles.FILE); // the JVM wrote it with the umask's mode
                end = end.withCrashReport(moved);
            } catch (IOException e) {
                log.warn("cannot move crash report {} next to {}: {}", end.crashReport().get(), output.stderr(), e.toString());
            }
        }
        if (!end.output().isBlank()) {
            try {
                Files.writeString(PrivateFiles.file(output.stderr()), "\n[drover: output of the worker JVM (pid " + end.pid() + ") during this attempt]\n"
                        + end.output(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                log.warn("cannot append the worker's output to {}: {}", output.stderr(), e.toString());
            }
        }
        log.warn("{}: {}", task, firstLine(end.describe()));
        return Execution.failed(end.describe());
    }

    private ArtifactCache.Lease lease(JobDescription job) throws TaskRejectedException, InterruptedException {
        ArtifactRef artifact = job.artifact().orElseThrow(() ->
                new TaskRejectedException("JVM job " + job.jobId() + " names no artifact"));
        try {
            return artifacts.acquire(artifact);
        } catch (ArtifactException e) {
            throw new TaskRejectedException(e.getMessage(), e);
        }
    }

    private RunTask request(TaskAssignment task, JobDescription job, ArtifactRef artifact, Path jar, TaskOutput output,
                            Map<Integer, String> inputFiles, List<FetchedUpstream> upstream) {
        RunTask r = new RunTask();
        r.setJobId(job.jobId());
        r.setAttemptId(task.attemptId());
        r.setTask(task.task());
        r.setShardCount(job.shardCount());
        task.shardParameter().ifPresent(r::setShardParameter);
        r.setJobArguments(job.arguments());
        r.setReduceTask(task.reduceTask());
        r.setReduceInputs(task.reduceInputs().isEmpty() ? List.of() : task.reduceInputs().stream().map(ByteBuffer::wrap).toList());
        r.setArtifactSha256(artifact.sha256());
        r.setArtifactPath(jar.toAbsolutePath().toString());
        r.setEntryClass(job.entryClass().orElseThrow());
        // Named from the job's directory by AttemptFileNames (as TaskOutput names them), so that a protocol 3 worker
        // can name them itself from its job's template (taskDirs) and the link carries no paths per task.
        String jobDir = output.dir().getParent().toAbsolutePath().toString();
        String base = AttemptFileNames.base(jobDir, task.task(), task.attemptId());
        r.setTaskDirs(jobDir);
        r.setStdoutPath(base + AttemptFileNames.STDOUT);
        r.setStderrPath(base + AttemptFileNames.STDERR);
        r.setMaxOutputBytes(maxOutputBytes);
        r.setMaxResultBytes(results.inlineBytes());
        results.spill(base).ifPresent(r::setResultSpill);
        if (!inputFiles.isEmpty()) {
            r.setReduceInputFiles(new HashMap<>(inputFiles));
        }
        if (!upstream.isEmpty()) {
            r.setUpstream(upstream.stream().map(WorkerTaskExecutor::upstreamInput).toList());
        }
        return r;
    }

    private static UpstreamInput upstreamInput(FetchedUpstream f) {
        UpstreamInput in = new UpstreamInput(f.upstream().jobId());
        f.upstream().name().ifPresent(in::setName);
        f.upstream().state().ifPresent(in::setState);
        f.upstream().result().ifPresent(in::setResult);
        f.file().ifPresent(p -> in.setResultFile(p.toString()).setResultSize(f.fileSize()));
        return in;
    }

    /** Runs {@code r} the first time only: a task queued again must not restart its timeout. */
    private static Runnable once(Runnable r) {
        AtomicBoolean ran = new AtomicBoolean();
        return () -> {
            if (ran.compareAndSet(false, true)) {
                r.run();
            }
        };
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    @Override
    public void close() {
        pools.close();
    }
}
