package io.drover.agent.exec;

import io.drover.agent.artifact.ArtifactCache;
import io.drover.agent.task.Execution;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.TaskAssignment;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import io.drover.sdk.internal.WireLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link ShardedJob} tasks inside the agent's JVM, on the calling task thread, with the job's
 * classes in an isolated loader (see {@link SdkApiClassLoader}).
 *
 * <p>In-JVM execution cannot protect the agent from a job that calls {@code System.exit}, exhausts
 * the heap or ignores interrupts; the child-worker-JVM executor (a later issue) will, behind the
 * same {@link TaskExecutor} interface.
 */
public final class JvmTaskExecutor implements TaskExecutor {
    private final JobLoader loader;
    private final int maxResultBytes;

    private static final int CACHED_JOBS = 256;

    public JvmTaskExecutor(ArtifactCache artifacts) {
        this(artifacts, WireLimits.MAX_RESULT_BYTES);
    }

    JvmTaskExecutor(ArtifactCache artifacts, int maxResultBytes) {
        this.loader = new JobLoader(artifacts, CACHED_JOBS);
        this.maxResultBytes = maxResultBytes;
    }

    @Override
    public void prepare(JobDescription job) throws TaskRejectedException, InterruptedException {
        loader.load(job);
    }

    @Override
    public Execution execute(TaskAssignment task, JobDescription job) throws TaskRejectedException, InterruptedException {
        return run(loader.load(job), task, job);
    }

    @Override
    public void close() {
        loader.close();
    }

    private <R> Execution run(ShardedJob<R> job, TaskAssignment task, JobDescription description) throws InterruptedException {
        String entry = job.getClass().getName();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(job.getClass().getClassLoader());
        try {
            ShardContext context = new ShardContext(description.jobId(), task.attemptId(), task.task(),
                    description.shardCount(), task.shardParameter(), description.arguments());
            ResultCodec<R> codec = job.resultCodec();
            R value = task.reduceTask() ? job.reduce(decodeAll(codec, task.reduceInputs()), context) : job.runShard(context);
            if (value == null) {
                return Execution.failed(entry + (task.reduceTask() ? ".reduce" : ".runShard") + " returned null");
            }
            return encode(codec.encode(value), entry);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            // Job-local failures; other Errors (out of memory, internal errors) concern the whole
            // agent and propagate to the supervisor.
            return Execution.failed(Failures.describe(e));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private Execution encode(byte[] bytes, String entry) {
        if (bytes.length > maxResultBytes) {
            return Execution.failed("result of " + entry + " is " + bytes.length + " bytes, over the limit of "
                    + maxResultBytes + " bytes; store large outputs in the job's own storage and return a reference");
        }
        return Execution.succeeded(bytes);
    }

    private static <R> List<R> decodeAll(ResultCodec<R> codec, List<byte[]> inputs) {
        List<R> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            try {
                out.add(codec.decode(inputs.get(i)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("reduce input of shard " + i + " cannot be decoded: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
