package io.drover.coordinator.core;

import java.util.LinkedHashSet;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The one owner of ready-queue bookkeeping: which jobs have tasks ready to place, how many tasks
 * are ready in all, and tasks waiting out a retry backoff. Every move of a task into or out of a
 * job's run queue goes through here, so the running count and the runnable set never drift from
 * the jobs' own queues.
 */
final class ReadyQueue {
    /** Jobs with at least one ready task, in submission order (placement breaks ties by it). */
    private final Set<Job> runnable = new LinkedHashSet<>();
    private final PriorityQueue<Backoff> backoffs = new PriorityQueue<>((a, b) -> Long.compare(a.readyAtMs, b.readyAtMs));
    private long readyTasks;
    /** Tasks ever queued: when it moves, parked polls may have work (see {@link PollParking#wakeParked}). */
    private long added;

    /** A failed attempt's task, ready again at {@code readyAtMs} unless it moved on meanwhile. */
    private record Backoff(long readyAtMs, Job job, int task, long attemptId) {
    }

    boolean isEmpty() {
        return readyTasks == 0;
    }

    long size() {
        return readyTasks;
    }

    long added() {
        return added;
    }

    /** Queues a PENDING task. */
    void add(Job job, Task task) {
        job.enqueue(task);
        runnable.add(job);
        readyTasks++;
        added++;
    }

    /**
     * Moves a PENDING task (queued or not) to RUNNING outside placement: an agent runs it already
     * (adopted after failover, recorded as held while silent) or its result came first.
     */
    void takeToRunning(Job job, Task task) {
        if (task.queued) {
            readyTasks--;
        }
        job.move(task, TaskState.RUNNING);
        if (job.readyCount() == 0) {
            runnable.remove(job);
        }
    }

    /** The best job for the agent by {@link Placement}, or null. */
    Job pick(AgentRecord agent, Quotas quotas) {
        return pick(new Placement(java.util.List.of(agent)), agent, quotas);
    }

    /** The same, with the other agents {@code placement} knows of (spread weighs them). */
    Job pick(Placement placement, AgentRecord agent, Quotas quotas) {
        return placement.pick(runnable, agent, quotas);
    }

    /** The jobs with ready tasks (read only). */
    java.util.Collection<Job> runnable() {
        return java.util.Collections.unmodifiableSet(runnable);
    }

    /**
     * Something other than new tasks may let parked polls take work (a quota was raised): counted
     * like an added task, so the next {@link PollParking#wakeParked} looks at every parked poll.
     */
    void nudge() {
        added++;
    }

    /** Takes the next ready task of a job {@link #pick} returned; the caller moves it on. */
    Task poll(Job job) {
        Task task = job.pollReady();
        readyTasks--;
        if (job.readyCount() == 0) {
            runnable.remove(job);
        }
        return task;
    }

    /** The job ended: none of its tasks is ready any more. */
    void drop(Job job) {
        readyTasks -= job.readyCount();
        job.dropQueue();
        runnable.remove(job);
    }

    /** Holds the task (now in BACKOFF after attempt {@code attemptId}) until {@code readyAtMs}. */
    void retryAt(long readyAtMs, Job job, Task task, long attemptId) {
        backoffs.add(new Backoff(readyAtMs, job, task.index, attemptId));
    }

    /** Queues the tasks whose backoff is over; entries for tasks that moved on meanwhile are dropped. */
    void endBackoffs(long now) {
        while (!backoffs.isEmpty() && backoffs.peek().readyAtMs <= now) {
            Backoff b = backoffs.poll();
            if (b.job.state.isTerminal()) {
                continue; // its job ended meanwhile
            }
            Task t = b.job.task(b.task);
            if (t.state == TaskState.BACKOFF && t.attemptId == b.attemptId) {
                b.job.move(t, TaskState.PENDING);
                add(b.job, t);
            }
        }
    }
}
