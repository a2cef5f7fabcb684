package io.drover.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.drover.sdk.Codecs;
import io.drover.sdk.JobState;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import io.drover.sdk.UpstreamResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Runs each example's shards in-process, as an agent would, then its reduce step. */
class ExampleJobsTest {

    @Test
    void monteCarloPiIsCloseAndDeterministic() throws Exception {
        MonteCarloPi pi = new MonteCarloPi();
        long[] result = runAll(pi, 64, List.of("100000"));

        assertThat(result[1]).isEqualTo(6_400_000);
        assertThat(MonteCarloPi.estimate(result)).isCloseTo(Math.PI, within(0.01));
        assertThat(pi.resultCodec().decode(pi.resultCodec().encode(result))).containsExactly(result);
        assertThat(runAll(pi, 64, List.of("100000"))).containsExactly(result);
    }

    @Test
    void primeCountBelowOneHundredThousandIs9592ForAnyShardCount() throws Exception {
        for (int shards : new int[] {1, 7, 64}) {
            assertThat(runAll(new PrimeCount(), shards, List.of("100000"))).as("%d shards", shards).isEqualTo(9592L);
        }
        assertThat(runAll(new PrimeCount(), 3, List.of("2"))).isZero();
        assertThat(runAll(new PrimeCount(), 1, List.of("30"))).isEqualTo(10L);
    }

    @Test
    void parameterSweepFindsTheMinimum() throws Exception {
        ParameterSweep sweep = new ParameterSweep();
        List<String> points = List.of("-1.0", "0.5", "1.0", "2.0");
        List<String> results = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            results.add(sweep.runShard(new ShardContext("j", i, i, points.size(), Optional.of(points.get(i)), List.of())));
        }

        assertThat(results.get(2)).isEqualTo("x=1.0,f=0.0");
        assertThat(sweep.reduce(results, reduceContext(points.size(), List.of()))).isEqualTo("x=1.0,f=0.0");
        assertThatThrownBy(() -> sweep.runShard(new ShardContext("j", 0, 0, 1, Optional.of("abc"), List.of())))
                .hasMessageContaining("'abc' is not a number");
    }

    @Test
    void sleepReadsItsPaceFromAFileWhenEachShardStarts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path pace = dir.resolve("pace");
        java.nio.file.Files.writeString(pace, "250\n");
        assertThat(Sleep.millis("file:" + pace)).isEqualTo(250);
        java.nio.file.Files.writeString(pace, "0");
        assertThat(Sleep.millis("file:" + pace)).isZero();
        assertThat(Sleep.millis("40")).isEqualTo(40);
        assertThat(runAll(new Sleep(), 3, List.of("file:" + pace))).isEqualTo(3L);
    }

    @Test
    void failingShardFailsOnlyTheChosenShard() throws Exception {
        FailingShard job = new FailingShard();
        assertThat(job.runShard(new ShardContext("j", 0, 1, 3, Optional.empty(), List.of("2")))).isEqualTo(1L);
        assertThatThrownBy(() -> job.runShard(new ShardContext("j", 0, 2, 3, Optional.empty(), List.of("2"))))
                .hasMessageContaining("shard 2 fails on purpose");
    }

    @Test
    void noOpReturnsEmpty() throws Exception {
        assertThat(runAll(new NoOp(), 3, List.of())).isEmpty();
    }

    @Test
    void upstreamReportListsItsUpstreamJobsAndSumsTheNamedCounts() {
        byte[] big = BigResult.bytes(0, 1000);
        ShardContext c = new ShardContext("job-43", 1, 0, 1, Optional.empty(), List.of("primes"), List.of(
                UpstreamResult.of("j1", Optional.of("primes"), Optional.of(JobState.SUCCEEDED),
                        Optional.of(Codecs.int64().encode(9592L))),
                UpstreamResult.of("j2", Optional.of("big"), Optional.of(JobState.SUCCEEDED), Optional.of(big)),
                UpstreamResult.of("j3", Optional.empty(), Optional.of(JobState.FAILED), Optional.empty())));
        String report = new UpstreamReport().runShard(c);
        assertThat(report).startsWith("primes\tSUCCEEDED\t8\t").contains("\nbig\tSUCCEEDED\t1000\t" + sha256(big) + "\n")
                .endsWith("\nj3\tFAILED\t0\t-\nsum of primes: 9592\n");
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <R> R runAll(ShardedJob<R> job, int shards, List<String> arguments) throws Exception {
        List<R> results = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            results.add(job.runShard(new ShardContext("job-42", i, i, shards, Optional.empty(), arguments)));
        }
        return job.reduce(results, reduceContext(shards, arguments));
    }

    private static ShardContext reduceContext(int shards, List<String> arguments) {
        return new ShardContext("job-42", shards, shards, shards, Optional.empty(), arguments);
    }
}
