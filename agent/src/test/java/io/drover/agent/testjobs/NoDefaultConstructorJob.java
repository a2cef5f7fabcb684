package io.drover.agent.testjobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;

/** A job the agent cannot instantiate: its only constructor takes an argument. */
public class NoDefaultConstructorJob implements ShardedJob<String> {
    private final String greeting;

    public NoDefaultConstructorJob(String greeting) {
        this.greeting = greeting;
    }

    @Override
    public ResultCodec<String> resultCodec() {
        return Codecs.utf8();
    }

    @Override
    public String runShard(ShardContext context) {
        return greeting;
    }
}
