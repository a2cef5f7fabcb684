package io.drover.agent.workers;

import io.drover.protocol.worker.RunTask;
import io.drover.protocol.worker.TaskDone;
import org.apache.thrift.TException;

/**
 * One attempt's use of one worker, from {@link WorkerPools#acquire} until exactly one of
 * {@link #release}, {@link #retire}, {@link #kill}, {@link #died} or {@link #giveBack}. A worker
 * speaking protocol 2 may hold several leases at once, its attempts queued in it in lease order.
 */
public final class WorkerLease {
    private final WorkerPools pools;
    private final WorkerProcess worker;
    private final long logOffset;
    private TaskPipe.Pending pending;
    private boolean returned;

    WorkerLease(WorkerPools pools, WorkerProcess worker) {
        this.pools = pools;
        this.worker = worker;
        this.logOffset = worker.logSize();
    }

    public long pid() {
        return worker.pid();
    }

    /** How an attempt in a worker ended. */
    public enum Ending {
        /** The worker answered (see {@link Ran#done}). */
        DONE,
        /** The worker died or the link broke while the attempt ran (or may have run): {@link #died}. */
        DIED,
        /** The attempt never started in this worker (one before it ended the worker): {@link #giveBack} and run it elsewhere. */
        NOT_STARTED
    }

    /** An attempt's end in a worker; {@code done} is set for {@link Ending#DONE}. */
    public record Ran(Ending ending, TaskDone done) {
    }

    /**
     * Runs the attempt in the worker, calling {@code started} when the worker begins it. If the
     * calling thread is interrupted meanwhile this throws at once; the caller then calls
     * {@link #dropUnstarted} and, if that says it may have started, {@link #kill}.
     */
    public Ran run(RunTask task, Runnable started) throws InterruptedException {
        if (!worker.pipelined()) {
            started.run();
            try {
                return new Ran(Ending.DONE, worker.run(task));
            } catch (TException e) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while running attempt " + task.getAttemptId());
                }
                return new Ran(Ending.DIED, null);
            }
        }
        pending = worker.submit(task, started);
        TaskPipe.Result r = pending.await();
        return switch (r.kind()) {
            case DONE -> new Ran(Ending.DONE, r.done());
            case DIED -> new Ran(Ending.DIED, null);
            case NOT_STARTED -> new Ran(Ending.NOT_STARTED, null);
        };
    }

    /**
     * After an interrupt: if the attempt is still queued in the worker it is dropped from the queue
     * and the lease ends (true); false when it may have started, so only a {@link #kill} stops it.
     */
    public boolean dropUnstarted() {
        if (pending == null || !worker.drop(pending)) {
            return false;
        }
        giveBack();
        return true;
    }

    /** The task ended normally: the worker goes back to its pool (or is recycled after its last task). */
    public void release() {
        finish();
        pools.release(worker);
    }

    /** The attempt never started in the worker: the lease ends, the worker is left as it is. */
    public void giveBack() {
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
        pools.dying(worker);
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
