package io.drover.agent.exec;

import io.drover.agent.task.Execution;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.TaskAssignment;

/**
 * Runs the tasks of one kind of job. Called on a task thread of the {@link TaskSupervisor}; a
 * cancellation or timeout interrupts that thread, and the executor must then stop the task
 * (and any process it started) and throw {@link InterruptedException}.
 *
 * <p>JVM tasks run in child worker JVMs ({@link WorkerTaskExecutor}) or, when the job asks, in
 * the agent ({@link InAgentJvmExecutor}); process tasks in a process ({@link ProcessTaskExecutor}).
 */
public interface TaskExecutor extends AutoCloseable {
    /**
     * Makes ready what every task of the job needs (artifact, loaded class), so that the time it
     * takes does not count against the task's timeout. Idempotent and cached per job.
     *
     * @throws TaskRejectedException when the job can never run on this agent as described
     */
    void prepare(JobDescription job) throws TaskRejectedException, InterruptedException;

    /** Runs one attempt to its end; {@link #prepare} has succeeded for its job. */
    Execution execute(TaskAssignment task, JobDescription job) throws TaskRejectedException, InterruptedException;

    /**
     * Runs one attempt, calling {@code started} when the attempt's own work begins: the task's
     * timeout counts from then, so time spent waiting for a worker JVM to start does not count.
     * By default that is at once.
     */
    default Execution execute(TaskAssignment task, JobDescription job, Runnable started)
            throws TaskRejectedException, InterruptedException {
        started.run();
        return execute(task, job);
    }

    /**
     * True when this executor bounds how many of the job's tasks run at once itself (worker JVMs
     * with several tasks in flight each: their workers never outnumber the slots), so the
     * supervisor hands it every accepted attempt at once instead of one per slot.
     */
    default boolean boundsItself(JobDescription job) {
        return false;
    }

    @Override
    default void close() {
    }
}
