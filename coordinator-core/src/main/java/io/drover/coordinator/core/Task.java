package io.drover.coordinator.core;

/** Mutable record of one task inside the core; only {@link Job} changes its state. */
final class Task {
    /**
     * The value of a task whose result is empty (or a blob): one shared array, so a job of no-op tasks
     * holds no array per task, and retiring it ({@link FinishedTasks}) tells an empty result by identity.
     */
    static final byte[] NO_RESULT = new byte[0];

    final int index;
    TaskState state = TaskState.PENDING;
    int attempts;
    long attemptId;
    long assignedAtMs;
    /**
     * Soft, for the current attempt: it waits in its agent's queue (queue-ahead) and is no straggler
     * yet; once a heartbeat shows it started, when that was seen (0: its time counts from the assignment).
     * See {@link Backups#observe}.
     */
    boolean waitingOnAgent;
    long workStartedAtMs;
    String agentId;
    /** The newest attempt and the agent it went to, kept after it ends (soft: for reading its output). */
    long lastAttemptId;
    String lastAgentId;
    /**
     * The newest attempt whose outcome this leader received (soft). An agent names a finished
     * attempt until its result is acknowledged, so a heartbeat sent before the acknowledgement
     * arrived may name it after its report: it is over, not to be adopted again.
     */
    long reportedAttemptId;
    /** The newest durable record of a failed attempt to retry (its count and backoff), or null: for compaction. */
    Fact.TaskRetried lastRetry;
    String error;
    byte[] value;
    /**
     * A backup attempt running beside the current one (soft, 0: none), its agent and start. The
     * first result of either commits; the other is cancelled (see {@link Backups}).
     */
    long backupAttemptId;
    String backupAgentId;
    long backupStartedAtMs;
    /** Backups this leader started for the task (at most one), and whether one's result won. */
    int backups;
    boolean backupWon;
    /** The committed result when it is a blob in the store (value then empty), else null. */
    ResultBlob blob;
    /** True while the index sits in the job's run queue (entries are skipped lazily when stale). */
    boolean queued;

    Task(int index) {
        this.index = index;
    }
}
