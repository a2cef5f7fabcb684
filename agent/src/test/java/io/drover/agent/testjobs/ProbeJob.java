package io.drover.agent.testjobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;

/** Reports which loader defined it and which classes it can see: "loader|agent|sdkInternal|sdkApi|param". */
public class ProbeJob implements ShardedJob<String> {
    @Override
    public ResultCodec<String> resultCodec() {
        return Codecs.utf8();
    }

    @Override
    public String runShard(ShardContext context) {
        ClassLoader loader = getClass().getClassLoader();
        return loader.getName() + "|" + visible("io.drover.agent.Agent") + "|" + visible("io.drover.protocol.WireLimits")
                + "|" + visible("io.drover.sdk.Codecs") + "|" + context.parameter().orElse("-");
    }

    private boolean visible(String name) {
        try {
            Class.forName(name, false, getClass().getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
