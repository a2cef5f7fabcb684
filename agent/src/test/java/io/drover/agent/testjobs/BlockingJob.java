package io.drover.agent.testjobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.concurrent.CountDownLatch;

/** Every shard waits until interrupted (cancel, timeout, agent shutdown). */
public class BlockingJob implements ShardedJob<String> {
    @Override
    public ResultCodec<String> resultCodec() {
        return Codecs.utf8();
    }

    @Override
    public String runShard(ShardContext context) throws InterruptedException {
        new CountDownLatch(1).await();
        return "unreachable";
    }
}
