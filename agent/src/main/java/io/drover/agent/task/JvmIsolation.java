package io.drover.agent.task;

/** Where a JVM job's tasks run on the agent. */
public enum JvmIsolation {
    /** In a warm child worker JVM, one per task at a time, reused across tasks of the job's artifact (the default). */
    WORKER,
    /** Inside the agent's own JVM: no start-up cost, no protection from System.exit, OOM or crashes. */
    IN_AGENT
}
