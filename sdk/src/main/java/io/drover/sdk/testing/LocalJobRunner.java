package io.drover.sdk.testing;

import io.drover.sdk.JobSpec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import io.drover.sdk.UpstreamResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a {@link ShardedJob} in the caller's JVM the way a Drover cluster runs it, for job authors'
 * unit tests: no coordinator, no agent, no network.
 *
 * <pre>{@code
 * LocalRun<Long> run = LocalJobRunner.forJob(new SumOfSquares())
 *         .shards(4).arguments("1000").reduce(true).build()
 *         .run();
 * assertEquals(333_833_500L, run.result());
 * }</pre>
 *
 * <p>What matches the cluster:
 * <ul>
 *   <li>each shard gets a {@link ShardContext} with its index, the shard count, its parameter (with
 *       {@link Builder#shardParameters(List)}), the job's arguments, the job id and an attempt id unique
 *       within this runner; the reduce step's context has {@code shardIndex == shardCount};</li>
 *   <li>the upstream results given with {@link Builder#upstream} reach every shard and the reduce step
 *       through {@link ShardContext#upstream()}, as a cluster hands a dependant job its upstream jobs' ends;</li>
 *   <li>one job instance serves every shard, on up to {@link Builder#parallelism(int)} threads at once
 *       (as on an agent with several slots), so per-shard state kept in fields shows up as a wrong result;</li>
 *   <li>every result is encoded with the job's {@code resultCodec()}, refused over
 *       {@link #MAX_RESULT_BYTES}, and decoded again: the reduce step and the caller see decoded
 *       values, never the objects the shards returned; a {@code null} result fails the shard;</li>
 *   <li>the reduce step runs only after every shard succeeded, over the shard results in shard order;</li>
 *   <li>cancel ({@link #cancel()}) and the task timeout interrupt the shard threads, as an agent does
 *       for a job run inside it ({@code Isolation.IN_AGENT}; a worker JVM is killed instead), so a
 *       long shard should check {@link Thread#isInterrupted()} or call interruptible methods (one that
 *       ignores interrupts keeps {@link #run()} waiting for it; give the test a timeout of its own).</li>
 * </ul>
 * What differs: a failed shard is not retried (the run stops at the first failure, so a test sees it
 * at once), the job's static initializers and class loading are the test's own (on a cluster the
 * jar is loaded in an isolated class loader that sees only the JDK and the public SDK), and
 * {@code System.exit} in job code ends the test JVM.
 *
 * <p>A runner may run several times (one run at a time); it keeps no state between runs beyond
 * the attempt id counter.
 *
 * @param <R> the job's result type
 */
public final class LocalJobRunner<R> {
    /**
     * An agent's default cap on one encoded result (shard or reduce), in bytes: 256 MiB (results over
     * 64 KiB travel as blobs on a cluster). {@link Builder#maxResultBytes(int)} sets another, as an agent's
     * {@code --max-result-size} does.
     */
    public static final int MAX_RESULT_BYTES = (int) io.drover.protocol.WireLimits.DEFAULT_RESULT_BLOB_BYTES;

    private final ShardedJob<R> job;
    private final String jobId;
    private final int shardCount;
    private final List<String> shardParameters;
    private final List<String> arguments;
    private final List<UpstreamResult> upstream;
    private final boolean reduce;
    private final int parallelism;
    private final Duration taskTimeout;
    private final LocalAttempt<R> attempt;
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicReference<RunState> running = new AtomicReference<>();

    private LocalJobRunner(Builder<R> b) {
        this.job = b.job;
        this.jobId = b.jobId;
        this.shardParameters = List.copyOf(b.shardParameters);
        this.shardCount = b.shardParameters.isEmpty() ? b.shards : b.shardParameters.size();
        this.arguments = List.copyOf(b.arguments);
        this.upstream = List.copyOf(b.upstream);
        this.reduce = b.reduce;
        this.parallelism = b.parallelism > 0 ? b.parallelism
                : Math.min(shardCount, Math.max(2, Runtime.getRuntime().availableProcessors()));
        this.taskTimeout = b.taskTimeout;
        this.attempt = new LocalAttempt<>(b.job, b.maxResultBytes);
    }

    /**
     * Starts describing a local run of {@code job} (one shard, no arguments, no reduce, by default).
     *
     * @param job the job instance every shard and the reduce step run on
     * @param <R> the job's result type
     * @return a builder; {@link Builder#build()} checks its settings
     */
    public static <R> Builder<R> forJob(ShardedJob<R> job) {
        return new Builder<>(Objects.requireNonNull(job, "job"));
    }

    /**
     * Runs every shard, then the reduce step when the runner was built with {@code reduce(true)}.
     *
     * @return the decoded shard results and, with {@code reduce(true)}, the reduce step's result
     * @throws ShardFailedException naming the first shard (or the reduce step) that failed, with the
     *         job's exception as the cause; the other shards still running are interrupted
     * @throws CancellationException when {@link #cancel()} stopped the run
     */
    public LocalRun<R> run() {
        RunState state = new RunState(Executors.newFixedThreadPool(parallelism, daemonThreads("drover-local-shard-")),
                Executors.newSingleThreadScheduledExecutor(daemonThreads("drover-local-timeout-")));
        if (!running.compareAndSet(null, state)) {
            state.close();
            throw new IllegalStateException("this runner is running already: one run at a time");
        }
        try {
            List<byte[]> encoded = runShards(state);
            List<R> shardResults = new ArrayList<>(encoded.size());
            for (int i = 0; i < encoded.size(); i++) {
                shardResults.add(attempt.decode(job.resultCodec(), encoded.get(i), i, shardCount));
            }
            Optional<R> reduced = Optional.empty();
            if (reduce) {
                ShardContext context = context(shardCount);
                Future<byte[]> future = state.submit(() -> timed(state.timer, context, encoded));
                reduced = Optional.of(attempt.decode(job.resultCodec(), await(state, future), shardCount, shardCount));
            }
            return new LocalRun<>(shardResults, reduced);
        } finally {
            running.set(null);
            state.close();
        }
    }

    /**
     * Cancels the run in progress, if any, as {@code drover cancel} does: shards not started never
     * start, running ones are interrupted, and {@link #run()} throws {@link CancellationException}.
     * Safe from any thread.
     */
    public void cancel() {
        RunState state = running.get();
        if (state != null) {
            state.cancel();
        }
    }

    private List<byte[]> runShards(RunState state) {
        ExecutorCompletionService<Done> completions = new ExecutorCompletionService<>(state.pool);
        for (int i = 0; i < shardCount; i++) {
            ShardContext context = context(i);
            state.track(completions.submit(() -> new Done(context.shardIndex(), timed(state.timer, context, null))));
        }
        byte[][] results = new byte[shardCount][];
        for (int done = 0; done < shardCount; done++) {
            Done d;
            try {
                d = await(state, completions.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for the job's shards");
            }
            results[d.shardIndex()] = d.bytes();
        }
        return List.of(results);
    }

    /** One attempt under the task timeout: the timer interrupts its thread when the timeout passes. */
    private byte[] timed(ScheduledExecutorService timer, ShardContext context, List<byte[]> reduceInputs)
            throws InterruptedException {
        Thread thread = Thread.currentThread();
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> alarm = timer.schedule(() -> {
            timedOut.set(true);
            thread.interrupt();
        }, taskTimeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            byte[] bytes = attempt.run(context, reduceInputs);
            if (timedOut.get()) { // finished anyway, but too late: an agent has failed it already
                throw timedOut(context, null);
            }
            return bytes;
        } catch (InterruptedException | ShardFailedException e) {
            if (timedOut.get()) {
                throw timedOut(context, e);
            }
            throw e;
        } finally {
            alarm.cancel(false);
            Thread.interrupted(); // a late alarm must not leak into the pool thread's next shard
        }
    }

    private ShardFailedException timedOut(ShardContext context, Exception cause) {
        return new ShardFailedException(context.shardIndex(), shardCount,
                "timed out after " + taskTimeout.toMillis() + " ms (the task timeout); it was interrupted", cause);
    }

    /** The attempt's bytes, or the failure a test should see (its own cancel, the shard's failure). */
    private <T> T await(RunState state, Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the job's shards");
        } catch (CancellationException e) {
            throw cancelledRun();
        } catch (ExecutionException e) {
            if (state.cancelled) {
                throw cancelledRun();
            }
            Throwable cause = e.getCause();
            if (cause instanceof ShardFailedException failed) {
                throw failed;
            }
            if (cause instanceof Error error) {
                throw error; // OutOfMemoryError and the like concern the whole test JVM
            }
            throw new IllegalStateException("a shard was interrupted, neither by cancel() nor by its timeout: " + cause,
                    cause);
        }
    }

    private CancellationException cancelledRun() {
        return new CancellationException("the run of " + job.getClass().getName() + " was cancelled");
    }

    private ShardContext context(int index) {
        Optional<String> parameter = index < shardParameters.size() ? Optional.of(shardParameters.get(index))
                : Optional.empty();
        return new ShardContext(jobId, attempts.incrementAndGet(), index, shardCount, parameter, arguments, upstream);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true); // a job that ignores interrupts must not keep the test JVM alive
            return t;
        };
    }

    private record Done(int shardIndex, byte[] bytes) {
    }

    /** One run's threads and the futures a cancel stops (queued ones included, so nothing waits for them). */
    private static final class RunState {
        final ExecutorService pool;
        final ScheduledExecutorService timer;
        final List<Future<?>> futures = new CopyOnWriteArrayList<>();
        volatile boolean cancelled;

        RunState(ExecutorService pool, ScheduledExecutorService timer) {
            this.pool = pool;
            this.timer = timer;
        }

        <T> Future<T> submit(Callable<T> task) {
            return track(pool.submit(task));
        }

        <T> Future<T> track(Future<T> future) {
            futures.add(future);
            if (cancelled) {
                future.cancel(true);
            }
            return future;
        }

        void cancel() {
            cancelled = true;
            futures.forEach(f -> f.cancel(true));
        }

        void close() {
            pool.shutdownNow();
            timer.shutdownNow();
        }
    }

    /**
     * Describes a local run; {@link #build()} checks every setting and names the ones that are wrong.
     *
     * @param <R> the job's result type
     */
    public static final class Builder<R> {
        private final ShardedJob<R> job;
        private String jobId = "local-job";
        private int shards = 1;
        private List<String> shardParameters = List.of();
        private List<String> arguments = List.of();
        private final List<UpstreamResult> upstream = new ArrayList<>();
        private boolean reduce;
        private int parallelism;
        private Duration taskTimeout = Duration.ofMinutes(1);
        private int maxResultBytes = MAX_RESULT_BYTES;

        private Builder(ShardedJob<R> job) {
            this.job = job;
        }

        /**
         * @param jobId the job id the contexts carry (default {@code local-job})
         * @return this builder
         */
        public Builder<R> jobId(String jobId) { this.jobId = jobId; return this; }

        /**
         * @param shards how many shards (default 1), as {@code --shards}
         * @return this builder
         */
        public Builder<R> shards(int shards) { this.shards = shards; return this; }

        /**
         * @param parameters one shard per parameter, as {@code --param}; overrides {@link #shards(int)}
         * @return this builder
         */
        public Builder<R> shardParameters(List<String> parameters) { this.shardParameters = new ArrayList<>(parameters); return this; }

        /**
         * @param arguments the job's arguments, as {@code --arg}
         * @return this builder
         */
        public Builder<R> arguments(List<String> arguments) { this.arguments = new ArrayList<>(arguments); return this; }

        /**
         * @param arguments the job's arguments, as {@code --arg}
         * @return this builder
         */
        public Builder<R> arguments(String... arguments) { return arguments(Arrays.asList(arguments)); }

        /**
         * Adds an upstream job's end and result, as a cluster hands them to a dependant job
         * ({@link ShardContext#upstream()}); see {@link UpstreamResult#of} and {@link UpstreamResult#inFile}.
         *
         * @param result the upstream job's end and result
         * @return this builder
         */
        public Builder<R> upstream(UpstreamResult result) { this.upstream.add(Objects.requireNonNull(result, "result")); return this; }

        /**
         * Adds a SUCCEEDED upstream job named {@code name} (id {@code local-upstream-N}) whose result is
         * {@code value} encoded with {@code codec}.
         *
         * @param name  the upstream job's name, as in a workflow
         * @param codec its result codec
         * @param value its result
         * @param <T>   its result type
         * @return this builder
         */
        public <T> Builder<R> upstream(String name, io.drover.sdk.ResultCodec<T> codec, T value) {
            return upstream(UpstreamResult.of("local-upstream-" + (upstream.size() + 1), Optional.of(name),
                    Optional.of(io.drover.sdk.JobState.SUCCEEDED), Optional.of(codec.encode(value))));
        }

        /**
         * @param reduce whether the reduce step runs after the shards, as {@code --reduce}
         * @return this builder
         */
        public Builder<R> reduce(boolean reduce) { this.reduce = reduce; return this; }

        /**
         * @param threads shards run at once (default: one per shard, up to the processor count but at least 2)
         * @return this builder
         */
        public Builder<R> parallelism(int threads) { this.parallelism = threads; return this; }

        /**
         * @param timeout per shard and for the reduce step (default 1 minute), as {@code --timeout}
         * @return this builder
         */
        public Builder<R> taskTimeout(Duration timeout) { this.taskTimeout = timeout; return this; }

        /**
         * The largest encoded result a shard or the reduce step may return, as on an agent started with
         * {@code --max-result-size} (default {@link #MAX_RESULT_BYTES}).
         *
         * @param bytes the cap, at least 1
         * @return this builder
         */
        public Builder<R> maxResultBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxResultBytes must be at least 1, was " + bytes);
            }
            this.maxResultBytes = bytes;
            return this;
        }

        /**
         * @return a runner with these settings
         * @throws IllegalArgumentException naming every setting that is out of range
         */
        public LocalJobRunner<R> build() {
            List<String> problems = new ArrayList<>();
            int count = shardParameters.isEmpty() ? shards : shardParameters.size();
            if (count < 1 || count > JobSpec.MAX_SHARDS) {
                problems.add("shards must be 1.." + JobSpec.MAX_SHARDS + ", was " + count);
            }
            if (jobId == null || jobId.isBlank()) {
                problems.add("jobId must not be blank");
            }
            if (parallelism < 0) {
                problems.add("parallelism must be at least 1 (0: the default), was " + parallelism);
            }
            if (taskTimeout == null || taskTimeout.isNegative() || taskTimeout.isZero()) {
                problems.add("taskTimeout must be positive, was " + taskTimeout);
            }
            for (int i = 0; i < shardParameters.size(); i++) {
                if (shardParameters.get(i) == null) {
                    problems.add("shardParameters[" + i + "] must not be null");
                }
            }
            for (int i = 0; i < arguments.size(); i++) {
                if (arguments.get(i) == null) {
                    problems.add("arguments[" + i + "] must not be null");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid local run of " + job.getClass().getName() + ": "
                        + String.join("; ", problems));
            }
            return new LocalJobRunner<>(this);
        }
    }
}
