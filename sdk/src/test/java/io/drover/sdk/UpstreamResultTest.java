package io.drover.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.sdk.testing.LocalJobRunner;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a dependant job's shards see of their upstream jobs: by id or name, inline or in a file read only when asked. */
class UpstreamResultTest {
    @TempDir
    Path dir;

    private static UpstreamResult inline(String id, String name, long value) {
        return UpstreamResult.of(id, Optional.of(name), Optional.of(JobState.SUCCEEDED), Optional.of(Codecs.int64().encode(value)));
    }

    private static ShardContext context(UpstreamResult... upstream) {
        return new ShardContext("j9", 1, 0, 1, Optional.empty(), List.of(), List.of(upstream));
    }

    @Test
    void aResultIsFoundByIdOrByAUniqueNameAndDecoded() {
        UpstreamResult none = UpstreamResult.of("j3", Optional.empty(), Optional.empty(), Optional.empty());
        ShardContext c = context(inline("j1", "count", 42), inline("j2", "j1", 7), none);

        assertThat(c.upstreamResult("count", Codecs.int64())).hasValue(42L);
        assertThat(c.upstreamResult("j1", Codecs.int64())).as("an id before a name").hasValue(42L);
        assertThat(c.upstreamResult("j3", Codecs.int64())).as("an upstream job without a result").isEmpty();
        assertThat(none.state()).isEmpty();
        assertThat(none.hasResult()).isFalse();
        assertThatThrownBy(() -> c.upstreamResult("cuont", Codecs.int64())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("depends on no job with id or name 'cuont'").hasMessageContaining("j1 (count)");
        assertThatThrownBy(() -> context(inline("j1", "x", 1), inline("j2", "x", 2)).upstream("x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 jobs named 'x'");
    }

    @Test
    void inlineBytesAreCopiedSoJobCodeCannotChangeThem() {
        byte[] bytes = {1, 2, 3};
        UpstreamResult u = UpstreamResult.of("j1", Optional.empty(), Optional.of(JobState.SUCCEEDED), Optional.of(bytes));
        bytes[0] = 9;
        u.resultBytes().orElseThrow()[1] = 9;
        assertThat(u.resultBytes()).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
        assertThat(u.resultSize()).isEqualTo(3);
        assertThat(u).isEqualTo(UpstreamResult.of("j1", Optional.empty(), Optional.of(JobState.SUCCEEDED),
                Optional.of(new byte[] {1, 2, 3}))).hasSameHashCodeAs(UpstreamResult.of("j1", Optional.empty(),
                Optional.of(JobState.SUCCEEDED), Optional.of(new byte[] {1, 2, 3})));
        assertThat(u).isNotEqualTo(UpstreamResult.of("j1", Optional.empty(), Optional.of(JobState.SUCCEEDED),
                Optional.of(new byte[] {1, 2, 4})));
    }

    @Test
    void aResultInAFileIsReadOnlyWhenAskedFor() throws Exception {
        Path file = dir.resolve("up");
        UpstreamResult u = UpstreamResult.inFile("j1", Optional.of("big"), Optional.of(JobState.SUCCEEDED), file, 5);
        assertThat(u.hasResult()).isTrue();
        assertThat(u.resultSize()).as("known without reading").isEqualTo(5);
        assertThatThrownBy(u::resultBytes).as("the file is not there yet: nothing was read before")
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("upstream job j1");

        Files.write(file, "hello".getBytes());
        assertThat(context(u).upstreamResult("big", Codecs.utf8())).hasValue("hello");
        try (InputStream in = u.openResult()) {
            assertThat(in.readAllBytes()).isEqualTo("hello".getBytes());
        }
        assertThatThrownBy(() -> UpstreamResult.inFile("j1", Optional.empty(), Optional.empty(), file, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSixArgumentContextHasNoUpstreamJobs() {
        ShardContext old = new ShardContext("j", 1, 0, 1, Optional.empty(), List.of("a"));
        assertThat(old.upstream()).isEmpty();
        assertThatThrownBy(() -> old.upstream("x")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A job that doubles its upstream "count". */
    static final class Doubler implements ShardedJob<Long> {
        @Override
        public ResultCodec<Long> resultCodec() {
            return Codecs.int64();
        }

        @Override
        public Long runShard(ShardContext context) {
            return 2 * context.upstreamResult("count", Codecs.int64()).orElseThrow();
        }

        @Override
        public Long reduce(List<Long> shardResults, ShardContext context) {
            return shardResults.stream().mapToLong(Long::longValue).sum() + context.upstreamResult("count", Codecs.int64()).orElseThrow();
        }
    }

    @Test
    void theLocalRunnerHandsUpstreamResultsToShardsAndReduce() {
        long result = LocalJobRunner.forJob(new Doubler()).shards(3).reduce(true)
                .upstream("count", Codecs.int64(), 21L).build().run().result();
        assertThat(result).isEqualTo(3 * 42 + 21);
    }
}
