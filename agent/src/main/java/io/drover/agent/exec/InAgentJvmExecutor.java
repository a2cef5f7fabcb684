package io.drover.agent.exec;

import io.drover.agent.artifact.ArtifactCache;
import io.drover.agent.jobcode.ShardOutcome;
import io.drover.agent.jobcode.ShardRunner;
import io.drover.agent.jobcode.TaskInput;
import io.drover.agent.jobcode.UpstreamValues;
import io.drover.agent.task.Execution;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.TaskAssignment;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link io.drover.sdk.ShardedJob} tasks inside the agent's JVM, on the calling task thread,
 * with the job's classes in an isolated loader (see {@link io.drover.agent.jobcode.SdkApiClassLoader}).
 * Only for jobs that ask for it ({@code IN_AGENT} isolation): trusted, short tasks that gain from
 * sharing the agent's warm JVM.
 *
 * <p>In-JVM execution cannot protect the agent from a job that calls {@code System.exit}, exhausts
 * the heap or ignores interrupts; {@link WorkerTaskExecutor} can, and is the default. Task output
 * goes to the agent's own stdout and stderr, not to per-attempt files. Results over the inline limit
 * are handled as a worker's are (see {@link ResultFiles}): the encoded result is written to the
 * attempt's result file and dropped from the heap before it is streamed to the coordinator; over the
 * cap it is rejected at once. Reduce inputs kept as blobs are fetched to files and read from there;
 * an upstream result kept as a blob is read by job code from the agent's cache of them.
 */
public final class InAgentJvmExecutor implements TaskExecutor {
    private static final Logger log = LoggerFactory.getLogger(InAgentJvmExecutor.class);
    private static final int CACHED_JOBS = 256;

    private final JobLoader loader;
    private final Path tasksDir;
    private final ResultFiles results;

    /**
     * @param tasksDir where attempts' result and input files go ({@code <tasksDir>/<jobId>/<task>})
     * @param results  how results over the inline limit are stored and reduce inputs kept as blobs fetched
     */
    public InAgentJvmExecutor(ArtifactCache artifacts, Path tasksDir, ResultFiles results) {
        this.loader = new JobLoader(artifacts, CACHED_JOBS);
        this.tasksDir = tasksDir;
        this.results = results;
    }

    @Override
    public void prepare(JobDescription job) throws TaskRejectedException, InterruptedException {
        loader.load(job);
    }

    /**
     * The attempt's directory is made only when a file needs it (blob reduce inputs, a spilled result) and
     * removed with its files afterwards if empty: in-agent tasks write no output files, so log retention,
     * which removes task directories with the attempts' output, would never remove it.
     */
    @Override
    public Execution execute(TaskAssignment task, JobDescription job) throws TaskRejectedException, InterruptedException {
        TaskOutput output = TaskOutput.of(tasksDir, job.jobId(), task.task(), task.attemptId());
        UpstreamInputs upstream = UpstreamInputs.none();
        boolean wroteNoFile = false; // the common case: no reduce inputs fetched, the result inline
        try {
            TaskInput input;
            try {
                if (!task.reduceInputBlobs().isEmpty()) {
                    output.create();
                }
                input = input(task, job, results.fetchInputs(task, output), List.of());
            } catch (IOException e) {
                return Execution.failed("cannot fetch the reduce task's inputs: " + e.getMessage());
            }
            try {
                upstream = results.fetchUpstream(job.upstream()); // leased from the agent's cache until the end
            } catch (IOException e) {
                return Execution.failed("cannot fetch an upstream job's result: " + e.getMessage());
            }
            input = input.withUpstream(upstream.list().stream().map(InAgentJvmExecutor::upstreamValue).toList());
            ShardOutcome outcome = ShardRunner.run(loader.load(job), input, results.inlineBytes(),
                    results.inAgentSpill(output).orElse(null));
            input = null; // reduce inputs may be large: not kept while the result is stored
            if (outcome instanceof ShardOutcome.Succeeded s) {
                wroteNoFile = task.reduceInputBlobs().isEmpty();
                return Execution.succeeded(s.value(), s.codec());
            }
            if (outcome instanceof ShardOutcome.Spilled s) {
                return results.store(s, output);
            }
            if (outcome instanceof ShardOutcome.Rejected r) {
                return Execution.rejected(r.error());
            }
            return Execution.failed(((ShardOutcome.Failed) outcome).error());
        } finally {
            upstream.close();
            if (!wroteNoFile && Files.isDirectory(output.dir())) { // a stat per task saved where nothing was written
                results.cleanUp(output);
                removeIfEmpty(output.dir());
                removeIfEmpty(output.dir().getParent());
            }
        }
    }

    /** Another attempt of the job may still use it: then it is not empty, or recreated when needed. */
    private static void removeIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            // in use: kept
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", dir, e.toString());
        }
    }

    @Override
    public void close() {
        loader.close();
    }

    private static io.drover.sdk.UpstreamResult upstreamValue(FetchedUpstream f) {
        return UpstreamValues.of(f.upstream().jobId(), f.upstream().name(), f.upstream().state(), f.upstream().result(),
                f.file(), f.fileSize());
    }

    /** The task's input; reduce inputs kept as blobs come from the files they were fetched to. */
    static TaskInput input(TaskAssignment task, JobDescription job, Map<Integer, String> inputFiles,
                           List<io.drover.sdk.UpstreamResult> upstream) throws IOException {
        List<byte[]> inputs = task.reduceInputs();
        if (!inputFiles.isEmpty()) {
            inputs = new ArrayList<>(inputs);
            for (Map.Entry<Integer, String> f : inputFiles.entrySet()) {
                if (f.getKey() < 0 || f.getKey() >= inputs.size()) {
                    throw new IOException("reduce input kept as a blob for shard " + f.getKey() + " of " + inputs.size());
                }
                inputs.set(f.getKey(), Files.readAllBytes(Path.of(f.getValue())));
            }
        }
        return new TaskInput(job.jobId(), task.attemptId(), task.task(), job.shardCount(), task.shardParameter(),
                job.arguments(), task.reduceTask(), inputs, upstream);
    }
}
