package io.drover.agent.jobcode;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The codec name that goes out with a result: Codecs' names, a job's own, and names that are not reported. */
class ShardRunnerCodecTest {
    private static final TaskInput SHARD = new TaskInput("j", 1, 0, 1, Optional.empty(), List.of(), false, List.of());

    private static ShardedJob<Long> jobWith(ResultCodec<Long> codec) {
        return new ShardedJob<>() {
            @Override public ResultCodec<Long> resultCodec() { return codec; }
            @Override public Long runShard(ShardContext context) { return 42L; }
        };
    }

    private static ResultCodec<Long> named(String name) {
        ResultCodec<Long> int64 = Codecs.int64();
        return new ResultCodec<>() {
            @Override public byte[] encode(Long value) { return int64.encode(value); }
            @Override public Long decode(byte[] bytes) { return int64.decode(bytes); }
            @Override public String name() {
                if (name == null) {
                    throw new IllegalStateException("no name today");
                }
                return name;
            }
        };
    }

    private static ShardOutcome.Succeeded run(ResultCodec<Long> codec) throws InterruptedException {
        return (ShardOutcome.Succeeded) ShardRunner.run(jobWith(codec), SHARD, 1024);
    }

    @Test
    void namesTheCodecTheJobDeclared() throws InterruptedException {
        assertThat(run(Codecs.int64()).codec()).isEqualTo("int64");
        assertThat(run(named("com.example.Money")).codec()).isEqualTo("com.example.Money");
    }

    @Test
    void aNameThatCannotBeShownIsDroppedAndTheResultStillSucceeds() throws InterruptedException {
        for (String bad : new String[] {"", "two words", "\u001b[2J", "x".repeat(257), null}) {
            ShardOutcome.Succeeded s = run(named(bad));
            assertThat(s.codec()).as("name %s", bad).isNull();
            assertThat(Codecs.int64().decode(s.value())).isEqualTo(42L);
        }
    }
}
