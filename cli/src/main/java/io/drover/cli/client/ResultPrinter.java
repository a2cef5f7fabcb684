package io.drover.cli.client;

import io.drover.sdk.Codecs;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Prints a finished job's result: the single (reduced) result, or the shard results in order, in
 * the codec chosen with {@code --codec}, else the one the job declared (see {@link ResultView}).
 */
final class ResultPrinter {
    private ResultPrinter() {
    }

    /**
     * Prints {@code prefix + result} for a job with a single result, otherwise one
     * {@code "shard i: value"} line per shard, at most {@code maxShards} of them.
     *
     * @throws IllegalArgumentException when the bytes are not a value of {@code format}
     */
    static void print(JobHandle job, JobStatus status, ResultFormat format, String prefix, int maxShards,
                      PrintWriter out) {
        String rawHint = "'drover status " + SafeText.of(job.jobId()) + " --raw";
        print(job, status, format, prefix, maxShards, out, rawHint + "'", i -> rawHint + " --shard " + i + "'");
    }

    /**
     * As above; a value too long to show whole ends with how to get all of it: {@code rawHint}, or
     * {@code shardRawHint.apply(i)} for shard i.
     */
    static void print(JobHandle job, JobStatus status, ResultFormat format, String prefix, int maxShards,
                      PrintWriter out, String rawHint, IntFunction<String> shardRawHint) {
        ResultView view = ResultView.of(format, status.resultCodec());
        if (status.resultBytes().isPresent()) {
            out.println(prefix + view.show(status.resultBytes().get(), rawHint));
            return;
        }
        var stored = job.storedResult();
        if (stored.isPresent()) { // too large to show: say how to get it
            out.println(prefix + stored.get().size() + " bytes (kept on the coordinator; " + rawHint + " writes them)");
            return;
        }
        List<byte[]> shards = job.shardResults(Duration.ZERO, Codecs.bytes());
        for (int i = 0; i < shards.size() && i < maxShards; i++) {
            out.println("shard " + i + ": " + view.show(shards.get(i), shardRawHint.apply(i)));
        }
        if (shards.size() > maxShards) {
            out.println("... " + (shards.size() - maxShards) + " more shard results");
        }
    }
}
