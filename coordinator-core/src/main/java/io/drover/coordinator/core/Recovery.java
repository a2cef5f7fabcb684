package io.drover.coordinator.core;

/**
 * A new leader's recovery window and the adoption of running attempts. Which agent runs what is
 * soft state: after a failover the leader learns it from heartbeats, and until every agent known
 * from the durable facts has re-reported (or the window closes) it assigns nothing, so work that
 * is running is adopted rather than started twice. An agent's first heartbeat is often its long
 * poll, which carries no results: so agents name, besides what runs, the finished attempts whose
 * results they still hold, and those are adopted too until their results arrive.
 *
 * <p>Adoption keeps owners' caps ({@link Quotas}): an attempt the leader had given up on (its agent
 * was lost, the task went elsewhere or another task of the owner took its place) and that comes back
 * while its owner is at the cap is cancelled, not adopted; its task runs again once a slot under the
 * cap is free, and the first result still wins.
 */
final class Recovery {
    private final long assignNotBeforeMs;
    private final Quotas quotas;
    private int awaitingRecovery;

    Recovery(long assignNotBeforeMs, Quotas quotas) {
        this.assignNotBeforeMs = assignNotBeforeMs;
        this.quotas = quotas;
    }

    /** An agent known from the durable facts, not heard from yet by this leader. */
    void expect(AgentRecord agent) {
        agent.awaitingRecovery = true;
        awaitingRecovery++;
    }

    void heardFrom(AgentRecord agent) {
        if (agent.awaitingRecovery) {
            agent.awaitingRecovery = false;
            awaitingRecovery--;
        }
    }

    /** Whether assignment still waits. */
    boolean recovering(long now) {
        return now < assignNotBeforeMs && awaitingRecovery > 0;
    }

    /**
     * The agent was silent at the last word about it, running {@code held}: its silence counts from
     * then, and what it held is left alone as the policy says, not run again when the window closes.
     */
    void restoreSilence(AgentRecord agent, RecoveredAgent recovered, long nowMs, JobLifecycle jobs, AttemptLedger ledger) {
        agent.lastSeenMs = Math.min(nowMs, recovered.silentSinceMs());
        agent.silenceRecorded = true;
        for (Fact.HeldAttempt held : recovered.held()) {
            Job job = jobs.get(held.jobId());
            Task t = job == null || held.task() < 0 || held.task() >= job.taskCount() ? null : job.task(held.task());
            if (t == null || t.state != TaskState.PENDING || !job.state.runsTasks() || ledger.isLive(held.attemptId())
                    || quotas.atCap(job.def.owner())) {
                continue;
            }
            ledger.adopt(job, t, held.attemptId(), agent, agent.lastSeenMs);
        }
    }

    /**
     * An agent says an attempt is its own (running, or finished with its result still in the
     * agent's journal): adopt it if nobody else runs the task, as the task's backup if another agent
     * runs it and the job allows backups, else cancel it. Adopting a finished
     * one is what keeps a new leader from running it again before the result arrives. One whose
     * outcome came already is over: a heartbeat sent before the acknowledgement reached the agent.
     */
    void adopt(AgentRecord agent, Event.RunningAttempt running, long now, JobLifecycle jobs, AttemptLedger ledger) {
        if (ledger.isLive(running.attemptId())) {
            return;
        }
        Job job = jobs.get(running.jobId());
        // For a finished job a detached copy: only read below (a task that ended is never PENDING nor adoptable).
        Task t = job == null || running.task() < 0 || running.task() >= job.taskCount() ? null : job.task(running.task());
        if (t != null && t.reportedAttemptId == running.attemptId()) {
            return;
        }
        if (t != null && t.state == TaskState.BACKOFF && !job.state.isTerminal()) {
            // Another attempt runs while this leader waits out a backoff (one restored by a new
            // leader whose clock is behind, or an attempt thought lost): the backoff is over.
            job.move(t, TaskState.PENDING);
        }
        if (t != null && Backups.adoptableAsBackup(job, t, agent) && !quotas.atCap(job.def.owner())) {
            ledger.adoptBackup(job, t, running.attemptId(), agent, now); // two attempts ran before the failover
            return;
        }
        if (t == null || t.state != TaskState.PENDING || !job.state.runsTasks() || quotas.atCap(job.def.owner())) {
            ledger.queueCancel(agent, running.attemptId());
            return;
        }
        ledger.adopt(job, t, running.attemptId(), agent, now);
    }
}
