package io.drover.examples;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A workload with injected stragglers, for the straggler-backup benchmark: each shard sleeps
 * argument 0 milliseconds (default 500), except that the first execution of every shard whose index
 * is {@code 7 mod N} (argument 1, default 20: 5% of shards) sleeps argument 2 times longer (default
 * 10). "First" is decided by a marker file per shard in the directory argument 3 names (shared by
 * the agents of one host): a second execution of a slow shard, such as a backup on another agent,
 * runs at the normal speed, as a task that was slow only because of where it first ran would.
 * Returns the shard index; reduce returns the number of shards.
 */
public final class Straggler implements ShardedJob<Long> {
    @Override
    public ResultCodec<Long> resultCodec() {
        return Codecs.int64();
    }

    @Override
    public Long runShard(ShardContext context) throws InterruptedException, java.io.IOException {
        long millis = Long.parseLong(context.argument(0, "500"));
        int every = Integer.parseInt(context.argument(1, "20"));
        long factor = Long.parseLong(context.argument(2, "10"));
        String markers = context.argument(3, "");
        if (every > 0 && context.shardIndex() % every == 7 % every && !markers.isEmpty() && firstRun(markers, context)) {
            millis *= factor;
        }
        TimeUnit.MILLISECONDS.sleep(millis);
        return (long) context.shardIndex();
    }

    private static boolean firstRun(String markers, ShardContext context) throws java.io.IOException {
        try {
            Files.createFile(Path.of(markers, Integer.toString(context.shardIndex())));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false; // an earlier execution of this shard was the slow one
        }
    }

    @Override
    public Long reduce(List<Long> shardResults, ShardContext context) {
        return (long) shardResults.size();
    }
}
