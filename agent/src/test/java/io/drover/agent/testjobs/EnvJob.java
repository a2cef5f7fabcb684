package io.drover.agent.testjobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.util.TreeSet;

/** Reports the names of the DROVER_* variables its JVM sees, comma-separated and sorted. */
public class EnvJob implements ShardedJob<String> {
    @Override
    public ResultCodec<String> resultCodec() {
        return Codecs.utf8();
    }

    @Override
    public String runShard(ShardContext context) {
        TreeSet<String> names = new TreeSet<>();
        System.getenv().keySet().stream().filter(n -> n.startsWith("DROVER_")).forEach(names::add);
        return String.join(",", names);
    }
}
