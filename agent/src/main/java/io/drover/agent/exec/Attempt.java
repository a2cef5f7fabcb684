package io.drover.agent.exec;

import io.drover.agent.task.TaskAssignment;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/** One accepted assignment and the handles needed to stop it. */
final class Attempt {
    final TaskAssignment assignment;
    private final AtomicReference<AttemptState> state = new AtomicReference<>(AttemptState.QUEUED);
    private volatile long startedAtMillis = -1;
    private volatile boolean working; // started() came: a slot or its worker took it
    private volatile Future<?> task;
    private volatile Future<?> timeout;

    Attempt(TaskAssignment assignment) {
        this.assignment = assignment;
    }

    /** QUEUED → RUNNING; false when it was finished (cancelled) before it could start. */
    boolean start(long nowMillis) {
        AttemptState.QUEUED.checkTransition(AttemptState.RUNNING);
        if (!state.compareAndSet(AttemptState.QUEUED, AttemptState.RUNNING)) {
            return false;
        }
        startedAtMillis = nowMillis;
        return true;
    }

    /** → FINISHED from wherever it is; true for the one caller that made the transition. */
    boolean finish() {
        while (true) {
            AttemptState current = state.get();
            if (current == AttemptState.FINISHED) {
                return false;
            }
            current.checkTransition(AttemptState.FINISHED);
            if (state.compareAndSet(current, AttemptState.FINISHED)) {
                return true;
            }
        }
    }

    /** Its own work began (a slot or its worker took it): the run time counts from here. */
    void started(long nowMillis) {
        startedAtMillis = nowMillis;
        working = true;
    }

    /** Accepted beyond the slots (queue-ahead) and not started yet. */
    boolean waiting() {
        return !working && state.get() != AttemptState.FINISHED;
    }

    AttemptState state() {
        return state.get();
    }

    long runMillis(long nowMillis) {
        long started = startedAtMillis;
        return started < 0 ? 0 : Math.max(0, nowMillis - started);
    }

    void task(Future<?> future) {
        this.task = future;
    }

    void timeout(Future<?> future) {
        this.timeout = future;
    }

    /** Interrupts the task thread (if it runs) and disarms the timeout. */
    void interrupt() {
        Future<?> t = task;
        if (t != null) {
            t.cancel(true);
        }
        disarmTimeout();
    }

    void disarmTimeout() {
        Future<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }
}
