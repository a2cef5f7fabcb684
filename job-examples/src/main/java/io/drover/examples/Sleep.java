package io.drover.examples;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sleeps argument 0 milliseconds (default 100) and returns its shard index: the "N x 100 ms"
 * workload for makespan and failure benchmarks. Reduce returns the number of shards seen.
 * With argument 1 naming a directory, each execution first creates a file there named
 * {@code <shard>-<attempt>}, so tests and benchmarks can count executions, including the ones
 * thrown away by failures. Argument 0 may be {@code file:PATH}: the milliseconds are read from PATH when
 * each shard starts, so a test can pace a long job and then let its remaining shards run through
 * (the Ansible system test keeps a job running across a rolling upgrade this way).
 */
public final class Sleep implements ShardedJob<Long> {
    /** Not "@FILE": the CLI would expand that at submit time (picocli argument files). */
    static final String PACE_FILE = "file:";

    @Override
    public ResultCodec<Long> resultCodec() {
        return Codecs.int64();
    }

    @Override
    public Long runShard(ShardContext context) throws InterruptedException, java.io.IOException {
        String markers = context.argument(1, "");
        if (!markers.isEmpty()) {
            java.nio.file.Files.createFile(java.nio.file.Path.of(markers,
                    context.shardIndex() + "-" + Long.toUnsignedString(context.attemptId())));
        }
        TimeUnit.MILLISECONDS.sleep(millis(context.argument(0, "100")));
        return (long) context.shardIndex();
    }

    static long millis(String argument) throws java.io.IOException {
        String text = argument.startsWith(PACE_FILE)
                ? java.nio.file.Files.readString(java.nio.file.Path.of(argument.substring(PACE_FILE.length()))) : argument;
        return Long.parseLong(text.strip());
    }

    @Override
    public Long reduce(List<Long> shardResults, ShardContext context) {
        return (long) shardResults.size();
    }
}
