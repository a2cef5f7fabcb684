package io.drover.agent.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * Ends the worker when its agent goes away. The agent holds the write end of the worker's stdin
 * pipe and never writes to it; the read returns end-of-file when the agent closes it (retiring the
 * worker) or when the agent process dies in any way, even {@code kill -9}, so no worker outlives
 * its agent, even one stuck in a task. Exit, not halt: the job's shutdown hooks run, bounded by
 * {@link #EXIT_GRACE_MS}.
 */
final class AgentWatch implements Runnable {
    static final long EXIT_GRACE_MS = 5_000;

    private final InputStream agentPipe;
    private final PrintStream processErr;

    private AgentWatch(InputStream agentPipe, PrintStream processErr) {
        this.agentPipe = agentPipe;
        this.processErr = processErr;
    }

    static void start(InputStream agentPipe, PrintStream processErr) {
        Thread thread = new Thread(new AgentWatch(agentPipe, processErr), "drover-worker-agent-watch");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        byte[] buffer = new byte[64];
        try {
            while (agentPipe.read(buffer) >= 0) {
                // the agent never writes; whatever arrives is ignored
            }
        } catch (IOException e) {
            processErr.println("drover worker: reading the agent pipe failed (" + e + "); exiting");
        }
        exit(0);
    }

    /** System.exit with a deadline: a job's shutdown hook that hangs cannot keep the worker alive. */
    static void exit(int status) {
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(EXIT_GRACE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(status);
        }, "drover-worker-exit-deadline");
        deadline.setDaemon(true);
        deadline.start();
        System.exit(status);
    }
}
