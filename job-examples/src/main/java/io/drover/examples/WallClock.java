package io.drover.examples;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.concurrent.TimeUnit;

/**
 * Returns the agent's wall clock (epoch milliseconds) at the moment the shard starts, then sleeps
 * argument 0 milliseconds (default 0). The schedule benchmark compares it with the cron time:
 * how late a scheduled run really started, on the same machine's clock.
 */
public final class WallClock implements ShardedJob<Long> {
    @Override
    public ResultCodec<Long> resultCodec() {
        return Codecs.int64();
    }

    @Override
    public Long runShard(ShardContext context) throws InterruptedException {
        long startedAtMs = System.currentTimeMillis();
        TimeUnit.MILLISECONDS.sleep(Long.parseLong(context.argument(0, "0")));
        return startedAtMs;
    }
}
