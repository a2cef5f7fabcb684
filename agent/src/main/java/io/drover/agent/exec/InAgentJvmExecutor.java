package io.drover.agent.exec;

import io.drover.agent.artifact.ArtifactCache;
import io.drover.agent.jobcode.ShardOutcome;
import io.drover.agent.jobcode.ShardRunner;
import io.drover.agent.jobcode.TaskInput;
import io.drover.agent.jobcode.UpstreamValues;
import io.drover.agent.task.Execution;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.TaskAssignment;
import io.drover.protocol.WireLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Runs {@link io.drover.sdk.ShardedJob} tasks inside the agent's JVM, on the calling task thread,
 * with the job's classes in an isolated loader (see {@link io.drover.agent.jobcode.SdkApiClassLoader}).
 * Only for jobs that ask for it ({@code IN_AGENT} isolation): trusted, short tasks that gain from
 * sharing the agent's warm JVM.
 *
 * <p>In-JVM execution cannot protect the agent from a job that calls {@code System.exit}, exhausts
 * the heap or ignores interrupts; {@link WorkerTaskExecutor} can, and is the default. Task output
 * goes to the agent's own stdout and stderr, not to per-attempt files; an upstream result kept as a
 * blob is fetched into an attempt directory, read by job code from there, and removed afterwards.
 */
public final class InAgentJvmExecutor implements TaskExecutor {
    private static final int CACHED_JOBS = 256;

    private final JobLoader loader;
    private final int maxResultBytes;
    private final ResultFiles results;
    private final Path tasksDir; // where upstream results kept as blobs are fetched to; null: this executor fetches none

    public InAgentJvmExecutor(ArtifactCache artifacts) {
        this(artifacts, WireLimits.MAX_RESULT_BYTES, ResultFiles.inlineOnly(), null);
    }

    /** {@code results}: how upstream results kept as blobs are fetched, into attempt directories under {@code tasksDir}. */
    public InAgentJvmExecutor(ArtifactCache artifacts, ResultFiles results, Path tasksDir) {
        this(artifacts, WireLimits.MAX_RESULT_BYTES, results, tasksDir);
    }

    InAgentJvmExecutor(ArtifactCache artifacts, int maxResultBytes) {
        this(artifacts, maxResultBytes, ResultFiles.inlineOnly(), null);
    }

    private InAgentJvmExecutor(ArtifactCache artifacts, int maxResultBytes, ResultFiles results, Path tasksDir) {
        this.loader = new JobLoader(artifacts, CACHED_JOBS);
        this.maxResultBytes = maxResultBytes;
        this.results = results;
        this.tasksDir = tasksDir;
    }

    @Override
    public void prepare(JobDescription job) throws TaskRejectedException, InterruptedException {
        loader.load(job);
    }

    @Override
    public Execution execute(TaskAssignment task, JobDescription job) throws TaskRejectedException, InterruptedException {
        if (job.upstream().stream().noneMatch(u -> u.resultBlob().isPresent())) {
            return run(task, job, job.upstream().stream().map(u -> new FetchedUpstream(u, Optional.empty())).toList());
        }
        if (tasksDir == null) {
            return Execution.failed("this agent cannot fetch the result blobs of upstream jobs for in-agent tasks");
        }
        TaskOutput output;
        try {
            output = TaskOutput.of(tasksDir, job.jobId(), task.task(), task.attemptId()).create();
        } catch (IOException e) {
            return Execution.failed("cannot create the task's directory under " + tasksDir + ": " + e.getMessage());
        }
        try {
            List<FetchedUpstream> upstream;
            try {
                upstream = results.fetchUpstream(job.upstream(), output);
            } catch (IOException e) {
                return Execution.failed("cannot fetch an upstream job's result: " + e.getMessage());
            }
            return run(task, job, upstream);
        } finally {
            results.cleanUp(output);
        }
    }

    private Execution run(TaskAssignment task, JobDescription job, List<FetchedUpstream> upstream)
            throws TaskRejectedException, InterruptedException {
        ShardOutcome outcome = ShardRunner.run(loader.load(job), input(task, job, upstream), maxResultBytes);
        if (outcome instanceof ShardOutcome.Succeeded s) {
            return Execution.succeeded(s.value(), s.codec());
        }
        if (outcome instanceof ShardOutcome.Rejected r) {
            return Execution.rejected(r.error());
        }
        return Execution.failed(((ShardOutcome.Failed) outcome).error());
    }

    @Override
    public void close() {
        loader.close();
    }

    private static TaskInput input(TaskAssignment task, JobDescription job, List<FetchedUpstream> upstream) {
        return new TaskInput(job.jobId(), task.attemptId(), task.task(), job.shardCount(), task.shardParameter(),
                job.arguments(), task.reduceTask(), task.reduceInputs(), upstream.stream()
                .map(f -> UpstreamValues.of(f.upstream().jobId(), f.upstream().name(), f.upstream().state(),
                        f.upstream().result(), f.file(), f.fileSize()))
                .toList());
    }
}
