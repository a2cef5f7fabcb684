package io.drover.coordinator.core;

/**
 * A durable fact the leader must write to the store (fenced by its epoch) before the effects
 * that depend on it (replies, acks) leave the process.
 */
public sealed interface Fact {
    /** The job the fact is about, or null for facts about agents. */
    String jobId();

    /** A job was accepted; written before its submit is acknowledged. */
    record JobAccepted(JobDefinition definition) implements Fact {
        @Override public String jobId() { return definition.jobId(); }
    }

    /**
     * A task's one committed result. {@code attempts}: the attempts it had used, the winner
     * included (0 in facts written before counts were durable). {@code blob}: the result is a blob
     * in the store (value then empty), else null.
     */
    record TaskCommitted(String jobId, int task, long attemptId, byte[] value, int attempts, ResultBlob blob)
            implements Fact {
        public TaskCommitted(String jobId, int task, long attemptId, byte[] value) {
            this(jobId, task, attemptId, value, 0);
        }

        public TaskCommitted(String jobId, int task, long attemptId, byte[] value, int attempts) {
            this(jobId, task, attemptId, value, attempts, null);
        }
    }

    /** A task failed for good (attempts exhausted, or rejected by the agent) after {@code attempts} attempts. */
    record TaskFailed(String jobId, int task, String error, int attempts) implements Fact {
        public TaskFailed(String jobId, int task, String error) {
            this(jobId, task, error, 0);
        }
    }

    /**
     * Attempt {@code attemptId} of a task failed and it runs again at {@code retryAtMs}:
     * {@code attempts} of its budget are used. A new leader keeps the count and the backoff, so a
     * failover neither refills a task's budget nor ends its backoff early. One small fact per failed
     * attempt, group-committed with the others of the turn; only the newest per task matters.
     */
    record TaskRetried(String jobId, int task, long attemptId, int attempts, long retryAtMs, String error) implements Fact {
    }

    /**
     * An agent registered (or changed its slots/labels). Lets a new leader know which agents to
     * wait for before it assigns anything after a failover.
     */
    record AgentRegistered(String agentId, String host, int slots, java.util.Map<String, String> labels) implements Fact {
        public AgentRegistered {
            labels = java.util.Map.copyOf(labels);
        }

        @Override public String jobId() { return null; }
    }

    /** An agent was decommissioned. */
    record AgentForgotten(String agentId) implements Fact {
        @Override public String jobId() { return null; }
    }

    /**
     * An agent went silent while it ran these attempts; they are left alone per the disconnect
     * policy, counted from {@code silentSinceMs}. Lets a leader that takes over during the silence
     * keep leaving them alone instead of running them again when the recovery window closes.
     */
    record AgentSilent(String agentId, long silentSinceMs, java.util.List<HeldAttempt> attempts) implements Fact {
        public AgentSilent {
            attempts = java.util.List.copyOf(attempts);
        }

        @Override public String jobId() { return null; }
    }

    /** An attempt a silent agent was running when it went silent. */
    record HeldAttempt(long attemptId, String jobId, int task) {
    }

    /** A silent agent was heard again: an earlier {@link AgentSilent} no longer applies. */
    record AgentHeard(String agentId) implements Fact {
        @Override public String jobId() { return null; }
    }

    /** A schedule was saved, removed or fired (see {@link ScheduleChange}). */
    record ScheduleChanged(ScheduleChange change) implements Fact {
        @Override public String jobId() { return null; }
    }

    /**
     * The name of the result codec a job's code declared, learnt from its first committed result
     * that carried one. Written once per job, so clients print results in it after a failover too.
     */
    record JobResultCodec(String jobId, String codec) implements Fact {
    }

    /** A job reached a terminal state; {@code result} is the reduce output or single result, may be null; {@code resultBlob} when that is a blob. */
    record JobEnded(String jobId, JobState state, String error, byte[] result, long endedAtMs, ResultBlob resultBlob)
            implements Fact {
        public JobEnded(String jobId, JobState state, String error, byte[] result, long endedAtMs) {
            this(jobId, state, error, result, endedAtMs, null);
        }
    }

    /** An owner's quota was set (replacing any earlier one); owner {@link Quota#DEFAULT_OWNER} is the default. */
    record QuotaSet(Quota quota) implements Fact {
        @Override public String jobId() { return null; }
    }

    /** An owner's quota entry was removed: the default applies to it again. */
    record QuotaRemoved(String owner) implements Fact {
        @Override public String jobId() { return null; }
    }
}
