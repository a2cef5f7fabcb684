package io.drover.sdk;

/** Where the tasks of a JVM job run on an agent. */
public enum Isolation {
    /**
     * In a child worker JVM started by the agent, kept warm and reused across the job's tasks (the
     * default). A task that calls {@code System.exit}, runs out of heap or crashes the JVM fails
     * that attempt only; the heap is bounded by the job's {@code memoryMb}.
     */
    WORKER,
    /**
     * Inside the agent's own JVM: no worker to start or talk to, so the shortest possible task
     * overhead, but no protection: such a job can take the agent down. For trusted, short tasks.
     */
    IN_AGENT
}
