package io.drover.agent.workers;

import io.drover.protocol.worker.RunTask;
import io.drover.protocol.worker.TaskDone;
import org.apache.thrift.TException;

/**
 * One task thread's use of one worker, from {@link WorkerPools#acquire} until exactly one of
 * {@link #release}, {@link #retire}, {@link #kill} or {@link #died}.
 */
public final class WorkerLease {
    private final WorkerPools pools;
    private final WorkerProcess worker;
    private final long logOffset;
    private boolean returned;

    WorkerLease(WorkerPools pools, WorkerProcess worker) {
        this.pools = pools;
        this.worker = worker;
        this.logOffset = worker.logSize();
    }

    public long pid() {
        return worker.pid();
    }

    /**
     * Runs the attempt in the worker. If the calling thread is interrupted meanwhile, the
     * connection closes and this throws at once; the caller then {@link #kill}s the worker.
     */
    public TaskDone run(RunTask task) throws TException {
        return worker.run(task);
    }

    /** The task ended normally: the worker goes back to its pool (or is recycled after its last task). */
    public void release() {
        finish();
        pools.release(worker);
    }

    /** The worker may be unsound (it ran out of memory): it is stopped and replaced. */
    public void retire(String reason) {
        finish();
        pools.discard(worker, reason, false);
    }

    /** Cancel, timeout or shutdown: the worker and everything it started are killed at once. */
    public void kill(String reason) {
        finish();
        pools.discard(worker, reason, true);
    }

    /** The connection broke mid-task: waits for the worker to end (killing it if it does not) and says how it ended. */
    public WorkerEnd died() throws InterruptedException {
        finish();
        try {
            return worker.end(logOffset);
        } finally {
            pools.forgetDead(worker);
        }
    }

    private void finish() {
        if (returned) {
            throw new IllegalStateException(worker + " was already returned to its pool");
        }
        returned = true;
    }
}
