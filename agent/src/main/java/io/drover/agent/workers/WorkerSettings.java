package io.drover.agent.workers;

import java.time.Duration;
import java.util.List;

/**
 * How an agent runs its worker JVMs. Validated on construction; each message names the field.
 *
 * @param defaultHeapMb      worker heap (-Xmx) for jobs that ask for no memory (memoryMb 0)
 * @param maxTasksPerWorker  a worker is retired after running this many tasks (bounds leaks in job code)
 * @param idleTimeout        a worker idle this long is stopped; a pool with no workers left is gone
 * @param jvmOptions         extra JVM options for every worker, after Drover's own (so they win)
 * @param startTimeout       how long a starting worker may take to connect back before it is killed
 * @param pipelineDepth      tasks in flight per worker at most (1 = one at a time): when every worker
 *                           the agent's slots allow is busy, a task queues in a busy worker instead of
 *                           waiting for one to come free (see {@link WorkerPools})
 */
public record WorkerSettings(long defaultHeapMb, int maxTasksPerWorker, Duration idleTimeout, List<String> jvmOptions,
                             Duration startTimeout, int pipelineDepth) {
    public static final long DEFAULT_HEAP_MB = 512;
    public static final int DEFAULT_MAX_TASKS = 100_000;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_PIPELINE_DEPTH = 8;
    public static final int MAX_PIPELINE_DEPTH = 64;
    static final long MIN_HEAP_MB = 16;
    static final long MAX_HEAP_MB = 1L << 20;

    public WorkerSettings {
        if (defaultHeapMb < MIN_HEAP_MB || defaultHeapMb > MAX_HEAP_MB) {
            throw new IllegalArgumentException("worker defaultHeapMb must be " + MIN_HEAP_MB + ".." + MAX_HEAP_MB + ", was " + defaultHeapMb);
        }
        if (maxTasksPerWorker < 1) {
            throw new IllegalArgumentException("worker maxTasksPerWorker must be >= 1, was " + maxTasksPerWorker);
        }
        if (idleTimeout == null || idleTimeout.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("worker idleTimeout must be >= 100ms, was " + idleTimeout);
        }
        jvmOptions = List.copyOf(jvmOptions);
        for (String option : jvmOptions) {
            if (!option.startsWith("-") || option.equals("-cp") || option.equals("-classpath") || option.startsWith("--class-path")) {
                throw new IllegalArgumentException("worker jvmOptions must be JVM options starting with '-' (not a class path), was '"
                        + option + "'");
            }
        }
        if (startTimeout == null || startTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("worker startTimeout must be >= 1s, was " + startTimeout);
        }
        if (pipelineDepth < 1 || pipelineDepth > MAX_PIPELINE_DEPTH) {
            throw new IllegalArgumentException("worker pipelineDepth must be 1.." + MAX_PIPELINE_DEPTH + ", was " + pipelineDepth);
        }
    }

    public WorkerSettings(long defaultHeapMb, int maxTasksPerWorker, Duration idleTimeout, List<String> jvmOptions,
                          Duration startTimeout) {
        this(defaultHeapMb, maxTasksPerWorker, idleTimeout, jvmOptions, startTimeout, DEFAULT_PIPELINE_DEPTH);
    }

    public static WorkerSettings defaults() {
        return new WorkerSettings(DEFAULT_HEAP_MB, DEFAULT_MAX_TASKS, DEFAULT_IDLE_TIMEOUT, List.of(), DEFAULT_START_TIMEOUT);
    }

    public WorkerSettings withDefaultHeapMb(long value) {
        return new WorkerSettings(value, maxTasksPerWorker, idleTimeout, jvmOptions, startTimeout, pipelineDepth);
    }

    public WorkerSettings withMaxTasksPerWorker(int value) {
        return new WorkerSettings(defaultHeapMb, value, idleTimeout, jvmOptions, startTimeout, pipelineDepth);
    }

    public WorkerSettings withIdleTimeout(Duration value) {
        return new WorkerSettings(defaultHeapMb, maxTasksPerWorker, value, jvmOptions, startTimeout, pipelineDepth);
    }

    public WorkerSettings withJvmOptions(List<String> value) {
        return new WorkerSettings(defaultHeapMb, maxTasksPerWorker, idleTimeout, value, startTimeout, pipelineDepth);
    }

    public WorkerSettings withPipelineDepth(int value) {
        return new WorkerSettings(defaultHeapMb, maxTasksPerWorker, idleTimeout, jvmOptions, startTimeout, value);
    }

    /** The heap a job's workers get: its own request, else the default. */
    public long heapMbFor(long jobMemoryMb) {
        return jobMemoryMb > 0 ? jobMemoryMb : defaultHeapMb;
    }
}
