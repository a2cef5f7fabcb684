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
import java.util.List;

/**
 * Runs {@link io.drover.sdk.ShardedJob} tasks inside the agent's JVM, on the calling task thread,
 * with the job's classes in an isolated loader (see {@link io.drover.agent.jobcode.SdkApiClassLoader}).
 * Only for jobs that ask for it ({@code IN_AGENT} isolation): trusted, short tasks that gain from
 * sharing the agent's warm JVM.
 *
 * <p>In-JVM execution cannot protect the agent from a job that calls {@code System.exit}, exhausts
 * the heap or ignores interrupts; {@link WorkerTaskExecutor} can, and is the default. Task output
 * goes to the agent's own stdout and stderr, not to per-attempt files; an upstream result kept as a
 * blob is read by job code from the agent's cache of them (see {@link ResultFiles}).
 */
public final class InAgentJvmExecutor implements TaskExecutor {
    private static final int CACHED_JOBS = 256;

    private final JobLoader loader;
    private final int maxResultBytes;
    private final ResultFiles results;

    public InAgentJvmExecutor(ArtifactCache artifacts) {
        this(artifacts, WireLimits.MAX_RESULT_BYTES, ResultFiles.inlineOnly());
    }

    /** {@code results}: where upstream results kept as blobs come from (the agent's cache of them). */
    public InAgentJvmExecutor(ArtifactCache artifacts, ResultFiles results) {
        this(artifacts, WireLimits.MAX_RESULT_BYTES, results);
    }

    InAgentJvmExecutor(ArtifactCache artifacts, int maxResultBytes) {
        this(artifacts, maxResultBytes, ResultFiles.inlineOnly());
    }

    private InAgentJvmExecutor(ArtifactCache artifacts, int maxResultBytes, ResultFiles results) {
        this.loader = new JobLoader(artifacts, CACHED_JOBS);
        this.maxResultBytes = maxResultBytes;
        this.results = results;
    }

    @Override
    public void prepare(JobDescription job) throws TaskRejectedException, InterruptedException {
        loader.load(job);
    }

    @Override
    public Execution execute(TaskAssignment task, JobDescription job) throws TaskRejectedException, InterruptedException {
        UpstreamInputs upstream;
        try {
            upstream = results.fetchUpstream(job.upstream());
        } catch (IOException e) {
            return Execution.failed("cannot fetch an upstream job's result: " + e.getMessage());
        }
        try (upstream) {
            return run(task, job, upstream.list());
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
