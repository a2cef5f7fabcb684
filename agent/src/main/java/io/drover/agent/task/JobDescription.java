package io.drover.agent.task;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the agent needs to run a job's tasks, fetched once per job and cached.
 * A JVM job has an artifact and an entry class; a process job has a command.
 * {@code taskTimeout} is empty when the job has no per-task timeout; {@code memoryMb} is 0 when
 * the job asks for the agent's default; {@code isolation} matters for JVM jobs only;
 * {@code environment} and {@code workingDirectory} (empty: the task's own directory) for process
 * jobs only. {@code upstream}: the ends and results of the jobs this one depends on (empty: none).
 */
public record JobDescription(String jobId, JobKind kind, Optional<ArtifactRef> artifact,
                             Optional<String> entryClass, List<String> command, List<String> arguments,
                             int shardCount, Optional<Duration> taskTimeout, long memoryMb, JvmIsolation isolation,
                             Map<String, String> environment, Optional<String> workingDirectory,
                             List<UpstreamResult> upstream) {
    public JobDescription {
        upstream = upstream == null ? List.of() : List.copyOf(upstream);
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(entryClass, "entryClass");
        Objects.requireNonNull(taskTimeout, "taskTimeout");
        command = List.copyOf(command);
        arguments = List.copyOf(arguments);
        Objects.requireNonNull(isolation, "isolation");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        if (memoryMb < 0) {
            throw new IllegalArgumentException("job " + jobId + ": memoryMb must be >= 0, was " + memoryMb);
        }
        if (shardCount < 1) {
            throw new IllegalArgumentException("job " + jobId + ": shardCount must be >= 1, was " + shardCount);
        }
    }

    /** A description of a job without dependencies. */
    public JobDescription(String jobId, JobKind kind, Optional<ArtifactRef> artifact, Optional<String> entryClass,
                          List<String> command, List<String> arguments, int shardCount, Optional<Duration> taskTimeout,
                          long memoryMb, JvmIsolation isolation, Map<String, String> environment,
                          Optional<String> workingDirectory) {
        this(jobId, kind, artifact, entryClass, command, arguments, shardCount, taskTimeout, memoryMb, isolation,
                environment, workingDirectory, List.of());
    }

    /** The same job with the ends and results of the jobs it depends on. */
    public JobDescription withUpstream(List<UpstreamResult> results) {
        return new JobDescription(jobId, kind, artifact, entryClass, command, arguments, shardCount, taskTimeout, memoryMb,
                isolation, environment, workingDirectory, results);
    }

    /** A description without process environment or working directory. */
    public JobDescription(String jobId, JobKind kind, Optional<ArtifactRef> artifact, Optional<String> entryClass,
                          List<String> command, List<String> arguments, int shardCount, Optional<Duration> taskTimeout,
                          long memoryMb, JvmIsolation isolation) {
        this(jobId, kind, artifact, entryClass, command, arguments, shardCount, taskTimeout, memoryMb, isolation,
                Map.of(), Optional.empty());
    }

    /** Environment values left out: the coordinator merges the job's secret variables into them. */
    @Override
    public String toString() {
        return "JobDescription[jobId=" + jobId + ", kind=" + kind + ", artifact=" + artifact + ", entryClass=" + entryClass
                + ", command=" + command + ", arguments=" + arguments + ", shardCount=" + shardCount + ", taskTimeout="
                + taskTimeout + ", memoryMb=" + memoryMb + ", isolation=" + isolation + ", environment="
                + new java.util.TreeSet<>(environment.keySet()) + ", workingDirectory=" + workingDirectory + "]";
    }

    /** What kind of executor a job needs. */
    public enum JobKind {
        /** An entry class implementing {@code io.drover.sdk.ShardedJob} in an artifact jar. */
        JVM,
        /** A command line run once per shard. */
        PROCESS
    }
}
