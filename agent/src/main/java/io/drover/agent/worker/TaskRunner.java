package io.drover.agent.worker;

import io.drover.agent.jobcode.Failures;
import io.drover.agent.jobcode.JobClasses;
import io.drover.agent.jobcode.JobLoadException;
import io.drover.agent.jobcode.SdkApiClassLoader;
import io.drover.agent.jobcode.ResultSpill;
import io.drover.agent.jobcode.ShardOutcome;
import io.drover.agent.jobcode.ShardRunner;
import io.drover.agent.jobcode.TaskInput;
import io.drover.protocol.worker.RunTask;
import io.drover.protocol.worker.TaskDone;
import io.drover.protocol.worker.TaskStatus;
import io.drover.protocol.worker.WorkerService;
import io.drover.sdk.ShardedJob;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.thrift.TBaseHelper;

/**
 * The worker's side of {@link WorkerService}: loads the job's entry class from the artifact the
 * agent names (one isolated loader per artifact, one instance per job, as in the agent) and runs
 * the attempt on the calling thread with its output in the attempt's files.
 *
 * <p>An {@link OutOfMemoryError} or other {@link VirtualMachineError} fails the attempt and marks
 * the worker dirty, so the agent replaces it: a JVM that ran out of heap may have left any
 * object half-built. Cancel and timeout never reach this class: the agent kills the worker.
 */
final class TaskRunner implements WorkerService.Iface {
    private static final int CACHED_JOBS = 64;

    private final AttemptOutput output;
    private final FatalErrors fatalErrors;
    private final ClassLoader sdkApi = new SdkApiClassLoader(ShardedJob.class.getClassLoader());
    private final Map<String, URLClassLoader> loaders = new HashMap<>(); // by artifact hash
    private final Map<String, ShardedJob<?>> jobs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ShardedJob<?>> eldest) {
            return size() > CACHED_JOBS;
        }
    };
    private volatile RunTask current;

    TaskRunner(AttemptOutput output, FatalErrors fatalErrors) {
        this.output = output;
        this.fatalErrors = fatalErrors;
    }

    /** The attempt running now, if any (read by the exit hook). */
    Optional<RunTask> current() {
        return Optional.ofNullable(current);
    }

    @Override
    public TaskDone run(RunTask task) {
        try {
            output.begin(task.getStdoutPath(), task.getStderrPath(), task.getMaxOutputBytes());
        } catch (IOException e) {
            return failed("the worker cannot open the attempt's output files: " + e, false);
        }
        current = task;
        TaskDone done;
        try {
            done = runLoaded(task);
        } finally {
            current = null;
            try {
                output.end();
            } catch (IOException e) {
                output.processErr().println("drover worker: closing the output files of attempt " + task.getAttemptId()
                        + " failed: " + e);
            }
        }
        if (fatalErrors.seen() && !done.isDirty()) {
            done.setDirty(true); // a job thread died of one: this JVM is not trusted with more work
        }
        return done;
    }

    private TaskDone runLoaded(RunTask task) {
        ShardedJob<?> job;
        try {
            job = load(task);
        } catch (JobLoadException e) {
            return new TaskDone(TaskStatus.REJECTED, false).setError(e.getMessage());
        }
        TaskInput input;
        try {
            input = input(task);
        } catch (IOException e) {
            return failed("the worker cannot read the reduce task's inputs: " + e, false);
        }
        try {
            ResultSpill spill = task.isSetResultSpill()
                    ? new ResultSpill(Path.of(task.getResultSpill().getPath()), task.getResultSpill().getMaxBytes()) : null;
            ShardOutcome outcome = ShardRunner.run(job, input, task.getMaxResultBytes(), spill);
            input = null; // reduce inputs may be large: not kept past the run
            if (outcome instanceof ShardOutcome.Succeeded s) {
                TaskDone done = new TaskDone(TaskStatus.SUCCEEDED, false).setValue(s.value());
                return s.codec() == null ? done : done.setResultCodec(s.codec());
            }
            if (outcome instanceof ShardOutcome.Spilled s) {
                TaskDone done = new TaskDone(TaskStatus.SUCCEEDED, false).setResultSha256(s.sha256()).setResultSize(s.size());
                return s.codec() == null ? done : done.setResultCodec(s.codec());
            }
            if (outcome instanceof ShardOutcome.Rejected r) {
                return new TaskDone(TaskStatus.REJECTED, false).setError(r.error());
            }
            return failed(((ShardOutcome.Failed) outcome).error(), false);
        } catch (InterruptedException e) {
            // Nothing here interrupts the task thread; a job that does so to itself gets a clean failure.
            return failed("the task was interrupted inside its worker JVM: " + describe(e), true);
        } catch (OutOfMemoryError e) {
            fatalErrors.record(e);
            return failed(outOfMemory(e), true);
        } catch (Error e) {
            fatalErrors.record(e);
            return failed(describe(e) + "\n(a fatal error: the worker JVM is replaced)", true);
        }
    }

    private ShardedJob<?> load(RunTask task) throws JobLoadException {
        ShardedJob<?> job = jobs.get(task.getJobId());
        if (job != null) {
            return job;
        }
        URLClassLoader loader = loaders.get(task.getArtifactSha256());
        if (loader == null) {
            loader = JobClasses.loaderFor(Path.of(task.getArtifactPath()), task.getArtifactSha256(), sdkApi);
            loaders.put(task.getArtifactSha256(), loader);
        }
        job = JobClasses.instantiate(task.getEntryClass(), loader, task.getArtifactSha256());
        jobs.put(task.getJobId(), job);
        return job;
    }

    /** Reduce inputs kept as blobs were fetched by the agent into files: read here, each once. */
    private static TaskInput input(RunTask t) throws IOException {
        List<byte[]> inputs = t.isSetReduceInputs()
                ? new ArrayList<>(t.getReduceInputs().stream().map(TBaseHelper::byteBufferToByteArray).toList())
                : new ArrayList<>();
        if (t.isSetReduceInputFiles()) {
            for (Map.Entry<Integer, String> f : t.getReduceInputFiles().entrySet()) {
                if (f.getKey() < 0 || f.getKey() >= inputs.size()) {
                    throw new IOException("reduce input file for shard " + f.getKey() + " of " + inputs.size());
                }
                inputs.set(f.getKey(), Files.readAllBytes(Path.of(f.getValue())));
            }
        }
        return new TaskInput(t.getJobId(), t.getAttemptId(), t.getTask(), t.getShardCount(),
                Optional.ofNullable(t.getShardParameter()), t.isSetJobArguments() ? t.getJobArguments() : List.of(),
                t.isReduceTask(), inputs, upstream(t));
    }

    /** Upstream results kept as blobs stay in the files the agent fetched them to: job code reads them if it asks. */
    private static List<io.drover.sdk.UpstreamResult> upstream(RunTask t) {
        if (!t.isSetUpstream()) {
            return List.of();
        }
        List<io.drover.sdk.UpstreamResult> out = new ArrayList<>(t.getUpstream().size());
        for (io.drover.protocol.worker.UpstreamInput u : t.getUpstream()) {
            out.add(io.drover.agent.jobcode.UpstreamValues.of(u.getJobId(), Optional.ofNullable(u.getName()),
                    Optional.ofNullable(u.getState()), u.isSetResult() ? Optional.of(u.getResult()) : Optional.empty(),
                    u.isSetResultFile() ? Optional.of(Path.of(u.getResultFile())) : Optional.empty(), u.getResultSize()));
        }
        return out;
    }

    private static String outOfMemory(OutOfMemoryError e) {
        long heapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        return describe(e) + "\n(the task ran out of its worker JVM's memory: heap limit about " + heapMb
                + " MB, set by the job's memoryMb or the agent's --worker-heap; the worker JVM is replaced)";
    }

    /** Failures.describe, unless describing itself runs out of memory. */
    private static String describe(Throwable e) {
        try {
            return Failures.describe(e);
        } catch (OutOfMemoryError again) {
            return e.getClass().getName();
        }
    }

    private static TaskDone failed(String error, boolean dirty) {
        return new TaskDone(TaskStatus.FAILED, dirty).setError(error);
    }
}
