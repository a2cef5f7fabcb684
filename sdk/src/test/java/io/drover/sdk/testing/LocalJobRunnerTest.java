package io.drover.sdk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.protocol.WireLimits;
import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LocalJobRunnerTest {

    /** Sum of i*i over this shard's slice of 1..n (argument 0); reduce adds the sums. */
    static final class SumOfSquares implements ShardedJob<Long> {
        final Set<ShardContext> seen = ConcurrentHashMap.newKeySet();

        @Override public ResultCodec<Long> resultCodec() { return Codecs.int64(); }

        @Override public Long runShard(ShardContext ctx) {
            seen.add(ctx);
            long n = Long.parseLong(ctx.argument(0, "100"));
            long sum = 0;
            for (long i = 1 + ctx.shardIndex(); i <= n; i += ctx.shardCount()) {
                sum += i * i;
            }
            return sum;
        }

        @Override public Long reduce(List<Long> shardResults, ShardContext ctx) {
            seen.add(ctx);
            return shardResults.stream().mapToLong(Long::longValue).sum();
        }
    }

    @Test
    void runsEveryShardThenTheReduceWithTheContextsAnAgentGives() {
        SumOfSquares job = new SumOfSquares();
        LocalRun<Long> run = LocalJobRunner.forJob(job).jobId("j1").shards(4).arguments("1000").reduce(true).build().run();

        assertThat(run.result()).isEqualTo(333_833_500L);
        assertThat(run.shardResults()).hasSize(4).allSatisfy(r -> assertThat(r).isPositive());
        assertThat(run.shardResults().stream().mapToLong(Long::longValue).sum()).isEqualTo(333_833_500L);
        assertThat(job.seen).extracting(ShardContext::shardIndex).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThat(job.seen).allSatisfy(ctx -> {
            assertThat(ctx.shardCount()).isEqualTo(4);
            assertThat(ctx.jobId()).isEqualTo("j1");
            assertThat(ctx.arguments()).containsExactly("1000");
            assertThat(ctx.parameter()).isEmpty();
        });
        assertThat(job.seen).extracting(ShardContext::attemptId).doesNotHaveDuplicates();
    }

    @Test
    void withoutReduceThereIsNoJobResultOnlyShardResults() {
        LocalRun<Long> run = LocalJobRunner.forJob(new SumOfSquares()).shards(2).arguments("3").build().run();
        assertThat(run.shardResults()).containsExactly(1L + 9L, 4L);
        assertThat(run.reduceResult()).isEmpty();
        assertThatThrownBy(run::result).isInstanceOf(IllegalStateException.class).hasMessageContaining("reduce(true)");
    }

    @Test
    void shardParametersGiveOneShardEach() {
        ShardedJob<String> echo = new ShardedJob<>() {
            @Override public ResultCodec<String> resultCodec() { return Codecs.utf8(); }
            @Override public String runShard(ShardContext ctx) {
                return ctx.shardIndex() + "/" + ctx.shardCount() + ":" + ctx.parameter().orElse("-");
            }
        };
        LocalRun<String> run = LocalJobRunner.forJob(echo).shardParameters(List.of("a", "b", "c")).shards(99).build().run();
        assertThat(run.shardResults()).containsExactly("0/3:a", "1/3:b", "2/3:c");
    }

    @Test
    void resultsCrossTheCodecSoTheCallerSeesDecodedValues() {
        // A lossy codec: what a cluster returns is what it decodes, not the object the shard built.
        ResultCodec<String> firstThreeBytes = new ResultCodec<>() {
            @Override public byte[] encode(String value) {
                byte[] all = value.getBytes(StandardCharsets.UTF_8);
                return java.util.Arrays.copyOf(all, Math.min(3, all.length));
            }
            @Override public String decode(byte[] bytes) { return new String(bytes, StandardCharsets.UTF_8); }
        };
        ShardedJob<String> job = new ShardedJob<>() {
            @Override public ResultCodec<String> resultCodec() { return firstThreeBytes; }
            @Override public String runShard(ShardContext ctx) { return "shard-" + ctx.shardIndex(); }
            @Override public String reduce(List<String> results, ShardContext ctx) { return String.join("+", results); }
        };
        LocalRun<String> run = LocalJobRunner.forJob(job).shards(2).reduce(true).build().run();
        assertThat(run.shardResults()).containsExactly("sha", "sha");
        assertThat(run.result()).isEqualTo("sha");
    }

    @Test
    void aResultOverTheClusterCapFailsTheShardAsOnAnAgent() {
        assertThat((long) LocalJobRunner.MAX_RESULT_BYTES).isEqualTo(WireLimits.DEFAULT_RESULT_BLOB_BYTES);
        int cap = 64 * 1024; // as on an agent started with --max-result-size 64KiB
        ShardedJob<byte[]> big = new ShardedJob<>() {
            @Override public ResultCodec<byte[]> resultCodec() { return Codecs.bytes(); }
            @Override public byte[] runShard(ShardContext ctx) {
                return new byte[ctx.shardIndex() == 1 ? cap + 1 : cap];
            }
        };
        assertThatThrownBy(() -> LocalJobRunner.forJob(big).shards(2).maxResultBytes(cap).build().run())
                .isInstanceOf(ShardFailedException.class)
                .hasMessageContaining("shard 1 of 2 failed: result of ")
                .hasMessageContaining("is 65537 bytes, over the limit of 65536 bytes")
                .satisfies(e -> assertThat(((ShardFailedException) e).shardIndex()).isEqualTo(1));
    }

    @Test
    void aThrowingShardFailsTheRunWithTheJobsOwnExceptionAsCause() {
        ShardedJob<Long> failing = new ShardedJob<>() {
            @Override public ResultCodec<Long> resultCodec() { return Codecs.int64(); }
            @Override public Long runShard(ShardContext ctx) {
                if (ctx.shardIndex() == 2) {
                    throw new IllegalStateException("no input for shard 2");
                }
                return 1L;
            }
        };
        assertThatThrownBy(() -> LocalJobRunner.forJob(failing).shards(3).reduce(true).build().run())
                .isInstanceOf(ShardFailedException.class)
                .hasMessage("shard 2 of 3 failed: java.lang.IllegalStateException: no input for shard 2")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNullResultAndAFailingReduceAreNamed() {
        ShardedJob<Long> nulls = new ShardedJob<>() {
            @Override public ResultCodec<Long> resultCodec() { return Codecs.int64(); }
            @Override public Long runShard(ShardContext ctx) { return null; }
        };
        assertThatThrownBy(() -> LocalJobRunner.forJob(nulls).build().run())
                .hasMessageEndingWith(".runShard returned null");

        ShardedJob<Long> noReduce = new ShardedJob<>() {
            @Override public ResultCodec<Long> resultCodec() { return Codecs.int64(); }
            @Override public Long runShard(ShardContext ctx) { return 1L; }
        };
        assertThatThrownBy(() -> LocalJobRunner.forJob(noReduce).shards(2).reduce(true).build().run())
                .isInstanceOf(ShardFailedException.class)
                .hasMessageStartingWith("the reduce step (after 2 shards) failed: java.lang.UnsupportedOperationException")
                .satisfies(e -> assertThat(((ShardFailedException) e).inReduce()).isTrue());
    }

    @Test
    void theTaskTimeoutInterruptsALongShard() {
        ShardedJob<Long> slow = new ShardedJob<>() {
            @Override public ResultCodec<Long> resultCodec() { return Codecs.int64(); }
            @Override public Long runShard(ShardContext ctx) throws InterruptedException {
                new CountDownLatch(1).await(); // waits until interrupted
                return 0L;
            }
        };
        assertThatThrownBy(() -> LocalJobRunner.forJob(slow).taskTimeout(Duration.ofMillis(200)).build().run())
                .isInstanceOf(ShardFailedException.class)
                .hasMessage("shard 0 of 1 failed: timed out after 200 ms (the task timeout); it was interrupted");
    }

    @Test
    void aShardThatIgnoresTheInterruptAndFinishesLateStillTimedOut() {
        ShardedJob<Long> stubborn = new ShardedJob<>() {
            @Override public ResultCodec<Long> resultCodec() { return Codecs.int64(); }
            @Override public Long runShard(ShardContext ctx) {
                long end = System.nanoTime() + Duration.ofMillis(400).toNanos();
                while (System.nanoTime() < end) {
                    Thread.onSpinWait(); // never looks at its interrupt flag
                }
                return 1L;
            }
        };
        assertThatThrownBy(() -> LocalJobRunner.forJob(stubborn).taskTimeout(Duration.ofMillis(100)).build().run())
                .isInstanceOf(ShardFailedException.class).hasMessageContaining("timed out after 100 ms");
    }

    @Test
    void cancelInterruptsRunningShardsAndNeverStartsQueuedOnes() throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        ShardedJob<Long> waits = new ShardedJob<>() {
            @Override public ResultCodec<Long> resultCodec() { return Codecs.int64(); }
            @Override public Long runShard(ShardContext ctx) {
                started.incrementAndGet();
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.onSpinWait(); // a CPU-bound shard that checks its cancellation flag
                }
                interrupted.incrementAndGet();
                return 0L; // ignored: the run was cancelled
            }
        };
        LocalJobRunner<Long> runner = LocalJobRunner.forJob(waits).shards(10).parallelism(2).build();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<LocalRun<Long>> run = caller.submit(runner::run);
            await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 2);
            runner.cancel();
            assertThatThrownBy(() -> run.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CancellationException.class)
                    .cause().hasMessageContaining("was cancelled");
            await().atMost(Duration.ofSeconds(10)).until(() -> interrupted.get() == 2);
            assertThat(started.get()).isEqualTo(2);
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void aRunnerRunsAgainAfterARun() {
        LocalJobRunner<Long> runner = LocalJobRunner.forJob(new SumOfSquares()).shards(3).arguments("10").reduce(true).build();
        assertThat(runner.run().result()).isEqualTo(385L);
        assertThat(runner.run().result()).isEqualTo(385L);
    }

    @Test
    void buildNamesEverySettingThatIsWrong() {
        assertThatThrownBy(() -> LocalJobRunner.forJob(new SumOfSquares()).shards(0).parallelism(-1)
                .taskTimeout(Duration.ZERO).arguments("a", null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shards must be 1..1000000, was 0")
                .hasMessageContaining("parallelism must be at least 1")
                .hasMessageContaining("taskTimeout must be positive")
                .hasMessageContaining("arguments[1] must not be null");
    }

    @Test
    void shardContextOptionalParameterStaysEmptyForTheReduce() {
        ShardedJob<String> job = new ShardedJob<>() {
            @Override public ResultCodec<String> resultCodec() { return Codecs.utf8(); }
            @Override public String runShard(ShardContext ctx) { return ctx.parameter().orElseThrow(); }
            @Override public String reduce(List<String> r, ShardContext ctx) {
                return ctx.shardIndex() + ":" + ctx.parameter().map(p -> p).orElse("none") + ":" + String.join(",", r);
            }
        };
        assertThat(LocalJobRunner.forJob(job).shardParameters(List.of("x", "y")).reduce(true).build().run().reduceResult())
                .isEqualTo(Optional.of("2:none:x,y"));
    }
}
