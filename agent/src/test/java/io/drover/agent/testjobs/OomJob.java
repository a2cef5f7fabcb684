package io.drover.agent.testjobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.ArrayList;
import java.util.List;

/** Allocates until the heap runs out. */
public class OomJob implements ShardedJob<String> {
    @Override
    public ResultCodec<String> resultCodec() {
        return Codecs.utf8();
    }

    @Override
    public String runShard(ShardContext context) {
        List<byte[]> hoard = new ArrayList<>();
        while (true) {
            hoard.add(new byte[1024 * 1024]);
        }
    }
}
