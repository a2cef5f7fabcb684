package example.cli;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;

/** A job class packed into the jars the CLI tests submit (the CLI checks the class before uploading). */
public class Pi implements ShardedJob<long[]> {
    @Override
    public ResultCodec<long[]> resultCodec() {
        return Codecs.int64Array();
    }

    @Override
    public long[] runShard(ShardContext context) {
        return new long[] {3, 4};
    }
}
