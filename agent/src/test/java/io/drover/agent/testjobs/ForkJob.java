package io.drover.agent.testjobs;

import io.drover.sdk.Codecs;
import io.drover.sdk.ResultCodec;
import io.drover.sdk.ShardContext;
import io.drover.sdk.ShardedJob;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/** Starts a long `sleep` child process, prints its pid on stdout, then waits forever. */
public class ForkJob implements ShardedJob<String> {
    @Override
    public ResultCodec<String> resultCodec() {
        return Codecs.utf8();
    }

    @Override
    public String runShard(ShardContext context) throws IOException, InterruptedException {
        Process child = new ProcessBuilder("sleep", "600").start();
        System.out.println("child " + child.pid());
        System.out.flush();
        new CountDownLatch(1).await();
        return "unreachable";
    }
}
