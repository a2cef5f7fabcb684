package io.drover.agent.jobcode;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What another attempt cannot fix is REJECTED (no retry); what it might fix stays FAILED. */
class ShardRunnerRejectTest {
    private static final int LIMIT = 64 * 1024;

    private static ShardedJob<String> job(int resultChars, boolean throwing) {
        return new ShardedJob<>() {
            @Override public ResultCodec<String> resultCodec() { return Codecs.utf8(); }
            @Override public String runShard(ShardContext context) {
                if (throwing) {
                    throw new IllegalStateException("flaky");
                }
                return "x".repeat(resultChars);
            }
            @Override public String reduce(List<String> results, ShardContext context) { return String.join("", results); }
        };
    }

    private static TaskInput shard() {
        return new TaskInput("j", 1, 0, 1, Optional.empty(), List.of(), false, List.of());
    }

    @Test
    void aResultOverTheCapIsRejected() throws InterruptedException {
        ShardOutcome o = ShardRunner.run(job(LIMIT + 1, false), shard(), LIMIT);
        assertThat(o).isInstanceOf(ShardOutcome.Rejected.class);
        assertThat(((ShardOutcome.Rejected) o).error()).contains("65537 bytes, over the limit of 65536 bytes");
    }

    @Test
    void aResultAtTheCapSucceeds() throws InterruptedException {
        assertThat(ShardRunner.run(job(LIMIT, false), shard(), LIMIT)).isInstanceOf(ShardOutcome.Succeeded.class);
    }

    @Test
    void aReduceInputTheCodecCannotDecodeIsRejected() throws InterruptedException {
        ShardedJob<Long> longs = new ShardedJob<>() {
            @Override public ResultCodec<Long> resultCodec() { return Codecs.int64(); }
            @Override public Long runShard(ShardContext context) { return 1L; }
            @Override public Long reduce(List<Long> results, ShardContext context) { return (long) results.size(); }
        };
        TaskInput reduce = new TaskInput("j", 1, 2, 2, Optional.empty(), List.of(), true,
                List.of(Codecs.int64().encode(7L), new byte[] {1, 2, 3}));
        ShardOutcome o = ShardRunner.run(longs, reduce, LIMIT);
        assertThat(o).isInstanceOf(ShardOutcome.Rejected.class);
        assertThat(((ShardOutcome.Rejected) o).error()).contains("reduce input of shard 1 cannot be decoded");
    }

    @Test
    void anExceptionStaysARetryableFailure() throws InterruptedException {
        assertThat(ShardRunner.run(job(1, true), shard(), LIMIT)).isInstanceOf(ShardOutcome.Failed.class);
    }
}
