package io.drover.agent.testjobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until the file named by argument 0 exists, then does what argument 1 says: "pass" (returns
 * its pid), "exit" (System.exit(3)), "halt" (Runtime.halt(7)) or "oom" (allocates until the heap runs out).
 * Lets a test hold a worker busy while it queues more tasks behind.
 */
public class GateJob implements ShardedJob<long[]> {
    @Override
    public ResultCodec<long[]> resultCodec() {
        return Codecs.int64Array();
    }

    @Override
    public long[] runShard(ShardContext context) {
        Path gate = Path.of(context.argument(0, "gate"));
        System.out.println("waiting at " + gate);
        while (!Files.exists(gate)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        switch (context.argument(1, "pass")) {
            case "exit" -> System.exit(3);
            case "halt" -> Runtime.getRuntime().halt(7);
            case "oom" -> {
                List<byte[]> hoard = new ArrayList<>();
                while (true) {
                    hoard.add(new byte[1024 * 1024]);
                }
            }
            default -> {
            }
        }
        return new long[] {ProcessHandle.current().pid()};
    }
}
