package example.jobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;

/** A job class for the jar checks; its initializer must never run on the client. */
public class Good implements ShardedJob<String> {
    public static final String INITIALIZED = "example.jobs.Good.initialized";

    static {
        System.setProperty(INITIALIZED, "true");
    }

    @Override
    public ResultCodec<String> resultCodec() {
        return Codecs.utf8();
    }

    @Override
    public String runShard(ShardContext context) {
        return "ok";
    }
}
