package io.drover.agent.exec;

import io.drover.agent.task.Execution;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.TaskAssignment;

/**
 * Runs the tasks of one kind of job. Called on a task thread of the {@link TaskSupervisor}; a
 * cancellation or timeout interrupts that thread, and the executor must then stop the task
 * (and any process it started) and throw {@link InterruptedException}.
 *
 * <p>Executors that run tasks in child worker JVMs (for fault isolation) will implement this
 * same interface.
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

    @Override
    default void close() {
    }
}
