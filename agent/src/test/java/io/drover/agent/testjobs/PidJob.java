package io.drover.agent.testjobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;

/** Returns the id of the process it runs in, the heap limit in MB, and says hello on stdout and stderr. */
public class PidJob implements ShardedJob<long[]> {
    @Override
    public ResultCodec<long[]> resultCodec() {
        return Codecs.int64Array();
    }

    @Override
    public long[] runShard(ShardContext context) {
        System.out.println("hello from shard " + context.shardIndex() + " on stdout");
        System.err.println("hello from shard " + context.shardIndex() + " on stderr");
        return new long[] {ProcessHandle.current().pid(), Runtime.getRuntime().maxMemory() / (1024 * 1024)};
    }
}
