package io.drover.agent.exec;

import io.drover.agent.task.Execution;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.JvmIsolation;
import io.drover.agent.task.TaskAssignment;

/** Runs a JVM job's tasks where the job asked: in worker JVMs (the default) or inside the agent. */
public final class JvmTaskRouter implements TaskExecutor {
    private final TaskExecutor workers;
    private final TaskExecutor inAgent;

    public JvmTaskRouter(TaskExecutor workers, TaskExecutor inAgent) {
        this.workers = workers;
        this.inAgent = inAgent;
    }

    @Override
    public void prepare(JobDescription job) throws TaskRejectedException, InterruptedException {
        executor(job).prepare(job);
    }

    @Override
    public Execution execute(TaskAssignment task, JobDescription job) throws TaskRejectedException, InterruptedException {
        return executor(job).execute(task, job);
    }

    @Override
    public Execution execute(TaskAssignment task, JobDescription job, Runnable started)
            throws TaskRejectedException, InterruptedException {
        return executor(job).execute(task, job, started);
    }

    @Override
    public boolean boundsItself(JobDescription job) {
        return executor(job).boundsItself(job);
    }

    private TaskExecutor executor(JobDescription job) {
        return job.isolation() == JvmIsolation.IN_AGENT ? inAgent : workers;
    }

    @Override
    public void close() {
        try {
            workers.close();
        } finally {
            inAgent.close();
        }
    }
}
