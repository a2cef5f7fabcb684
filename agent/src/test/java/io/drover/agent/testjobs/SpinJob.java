package io.drover.agent.testjobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;

/** Spins forever, ignoring interrupts: only killing its JVM stops it. */
public class SpinJob implements ShardedJob<String> {
    private volatile long spins;

    @Override
    public ResultCodec<String> resultCodec() {
        return Codecs.utf8();
    }

    @Override
    public String runShard(ShardContext context) {
        while (spins >= 0) {
            spins++;
            Thread.interrupted();
        }
        return "unreachable";
    }
}
