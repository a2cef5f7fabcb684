package io.drover.agent.testjobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;

/** Ends its JVM mid-task: argument 0 is "exit" (System.exit) or "halt" (Runtime.halt), argument 1 the status. */
public class ExitJob implements ShardedJob<String> {
    @Override
    public ResultCodec<String> resultCodec() {
        return Codecs.utf8();
    }

    @Override
    public String runShard(ShardContext context) {
        int status = Integer.parseInt(context.argument(1, "3"));
        System.out.println("about to " + context.argument(0, "exit") + " with " + status);
        if (context.argument(0, "exit").equals("halt")) {
            Runtime.getRuntime().halt(status);
        }
        System.exit(status);
        return "unreachable";
    }
}
