package io.drover.coordinator.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live attempts: which agent runs which attempt of which task (soft state, rebuilt from
 * heartbeats after a failover), the slots they hold and the running count per owner that placement
 * weighs. An attempt leaves the ledger exactly once, through one of the methods here, and its slot
 * is freed then.
 */
final class AttemptLedger {
    private final long epoch;
    private long attemptSeq;
    private final ReadyQueue ready;
    private final AgentLiveness agents;
    private final Map<Long, AttemptRef> attempts = new HashMap<>();
    private final Map<String, Integer> runningByOwner = new HashMap<>();
    /**
     * Agents whose own state changed in this event so that a parked poll of theirs may now be
     * answered (a slot freed, a cancel queued, back to ALIVE, undrained): what the parking looks at
     * besides the ready queue, so it never scans every parked agent per event.
     */
    private final Set<AgentRecord> changed = new LinkedHashSet<>();

    /** {@code spreadValue}: the agent's value of the job's spread label when it started ("" if none), or null. */
    record AttemptRef(long attemptId, Job job, int task, String agentId, String spreadValue) {
    }

    AttemptLedger(long epoch, ReadyQueue ready, AgentLiveness agents) {
        this.epoch = epoch;
        this.ready = ready;
        this.agents = agents;
    }

    /** Notes that {@code agent} may now take work or has cancels to hear (see {@link #changed}). */
    void touch(AgentRecord agent) {
        changed.add(agent);
    }

    /** The agents touched since the last call, in order; clears them. */
    List<AgentRecord> takeChanged() {
        if (changed.isEmpty()) {
            return List.of();
        }
        List<AgentRecord> out = new ArrayList<>(changed);
        changed.clear();
        return out;
    }

    /** The agent is to hear that it must stop {@code attemptId} (on its next reply). */
    void queueCancel(AgentRecord agent, long attemptId) {
        agent.pendingCancels.add(attemptId);
        touch(agent);
    }

    AttemptRef get(long attemptId) {
        return attempts.get(attemptId);
    }

    boolean isLive(long attemptId) {
        return attempts.containsKey(attemptId);
    }

    Map<String, Integer> runningByOwner() {
        return runningByOwner;
    }

    /** Starts a new attempt of a task placement just polled from the ready queue. */
    long start(Job job, Task t, AgentRecord agent, long now) {
        // The epoch in the high bits keeps ids unique across leaders without persisting them.
        long attemptId = (epoch << 40) | (++attemptSeq);
        job.move(t, TaskState.RUNNING);
        t.attempts++;
        t.assignedAtMs = now;
        Backups.reset(t);
        attach(job, t, attemptId, agent);
        return attemptId;
    }

    /** Takes over an attempt the agent already runs (re-reported, or held while silent) for a PENDING task. */
    void adopt(Job job, Task t, long attemptId, AgentRecord agent, long assignedAtMs) {
        ready.takeToRunning(job, t);
        t.attempts++;
        t.assignedAtMs = assignedAtMs;
        Backups.reset(t);
        attach(job, t, attemptId, agent);
    }

    private void attach(Job job, Task t, long attemptId, AgentRecord agent) {
        t.attemptId = attemptId;
        t.agentId = agent.id;
        t.lastAttemptId = attemptId;
        t.lastAgentId = agent.id;
        track(job, t, attemptId, agent);
    }

    /**
     * Starts a backup of a RUNNING task on another agent, beside its current attempt. A backup does
     * not count against the task's attempts unless it becomes the current one ({@link #promoteBackup}).
     */
    long startBackup(Job job, Task t, AgentRecord agent, long now) {
        long attemptId = (epoch << 40) | (++attemptSeq);
        attachBackup(job, t, attemptId, agent, now);
        return attemptId;
    }

    /** Takes over, as the task's backup, an attempt another agent re-reports after a failover. */
    void adoptBackup(Job job, Task t, long attemptId, AgentRecord agent, long now) {
        attachBackup(job, t, attemptId, agent, now);
    }

    private void attachBackup(Job job, Task t, long attemptId, AgentRecord agent, long now) {
        if (t.state != TaskState.RUNNING || t.backupAttemptId != 0 || agent.id.equals(t.agentId)) {
            throw new IllegalStateException("task " + t.index + " of " + job.def.jobId() + " cannot take a backup");
        }
        t.backupAttemptId = attemptId;
        t.backupAgentId = agent.id;
        t.backupStartedAtMs = now;
        t.backups++;
        job.backupsStarted++;
        track(job, t, attemptId, agent);
    }

    /**
     * The current attempt ended without a result (failed, given back, its agent lost): a live backup
     * becomes the current attempt, so the task keeps running instead of starting over. False with none.
     */
    boolean promoteBackup(Job job, Task t) {
        if (t.backupAttemptId == 0) {
            return false;
        }
        job.restartedRunning(t);
        t.attemptId = t.backupAttemptId;
        t.agentId = t.backupAgentId;
        t.lastAttemptId = t.backupAttemptId;
        t.lastAgentId = t.backupAgentId;
        t.assignedAtMs = t.backupStartedAtMs;
        Backups.reset(t);
        t.attempts++;
        clearBackup(t);
        return true;
    }

    /** Cancels the task's backup, if it has one (the task ended or its current attempt won). */
    void cancelBackup(Task t) {
        if (t.backupAttemptId != 0) {
            long backup = t.backupAttemptId;
            clearBackup(t);
            cancel(backup);
        }
    }

    /** Forgets the task's backup (it ended, or became the current attempt); its slot is freed elsewhere. */
    static void clearBackup(Task t) {
        t.backupAttemptId = 0;
        t.backupAgentId = null;
        t.backupStartedAtMs = 0;
    }

    private void track(Job job, Task t, long attemptId, AgentRecord agent) {
        String spreadValue = job.spreadValueOf(agent);
        attempts.put(attemptId, new AttemptRef(attemptId, job, t.index, agent.id, spreadValue));
        job.spreadStarted(spreadValue);
        agent.attempts.add(attemptId);
        agent.usedSlots += job.def.slotsPerTask();
        runningByOwner.merge(job.def.owner(), 1, Integer::sum);
    }

    /** The attempt reported an outcome: it is over, whatever the outcome means for its task. */
    void ended(long attemptId) {
        AttemptRef ref = attempts.remove(attemptId);
        if (ref != null) {
            freeSlot(ref);
        }
    }

    /** Forgets the task's current attempt (it ended); its slot was freed by {@link #ended}. */
    void detachCurrent(Task t) {
        ended(t.attemptId);
        t.agentId = null;
    }

    private void freeSlot(AttemptRef ref) {
        AgentRecord agent = agents.get(ref.agentId());
        if (agent != null && agent.attempts.remove(ref.attemptId())) {
            agent.usedSlots -= ref.job().def.slotsPerTask();
            touch(agent);
        }
        runningByOwner.merge(ref.job().def.owner(), -1, Integer::sum);
        ref.job().spreadEnded(ref.spreadValue());
    }

    /** Cancels an attempt: the agent is told on its next heartbeat, the slot is freed now. */
    void cancel(long attemptId) {
        AttemptRef ref = attempts.remove(attemptId);
        if (ref == null) {
            return;
        }
        AgentRecord agent = agents.get(ref.agentId());
        if (agent != null) {
            queueCancel(agent, attemptId);
        }
        freeSlot(ref);
    }

    /** The cancels to send the agent now; they are sent once. */
    List<Long> drainCancels(AgentRecord agent) {
        if (agent.pendingCancels.isEmpty()) {
            return List.of();
        }
        List<Long> out = List.copyOf(agent.pendingCancels);
        agent.pendingCancels.clear();
        return out;
    }

    /** The agent's attempts are gone (restarted, forgotten): their tasks run again. */
    void releaseAll(AgentRecord agent) {
        for (Long attemptId : List.copyOf(agent.attempts)) {
            release(attemptId);
        }
        agent.attempts.clear();
        agent.usedSlots = 0;
        agent.pendingCancels.clear();
        touch(agent);
    }

    /** Takes one attempt away from its agent; its task runs again unless another attempt took it over. */
    private void release(long attemptId) {
        AttemptRef ref = attempts.remove(attemptId);
        if (ref == null) {
            return;
        }
        freeSlot(ref);
        requeueIfCurrent(ref);
    }

    private void requeueIfCurrent(AttemptRef ref) {
        Task t = ref.job().task(ref.task());
        if (t.backupAttemptId == ref.attemptId()) {
            clearBackup(t); // the current attempt runs on
        } else if (t.state == TaskState.RUNNING && t.attemptId == ref.attemptId() && !promoteBackup(ref.job(), t)) {
            t.agentId = null;
            ref.job().move(t, TaskState.PENDING);
            ready.add(ref.job(), t);
        }
    }

    /**
     * Re-queues the silent agent's attempts that are due by the policy (or their job's override)
     * and notes when the next one is due. Returns how many were re-queued.
     */
    int requeueDue(AgentRecord agent, long now, Deadlines deadlines) {
        int requeued = 0;
        long next = Long.MAX_VALUE;
        for (Long attemptId : List.copyOf(agent.attempts)) {
            AttemptRef ref = attempts.get(attemptId);
            if (ref == null) {
                continue;
            }
            long due = deadlines.requeueAt(agent, ref.job().def);
            if (now >= due) {
                release(attemptId);
                requeued++;
            } else {
                next = Math.min(next, due);
            }
        }
        agent.nextRequeueAtMs = next;
        return requeued;
    }

    /**
     * Attempts we assigned to this agent long ago that it neither runs nor reported: the
     * assignment never arrived (lost reply, agent restarted unseen). Their tasks run again.
     */
    void forgetVanished(AgentRecord agent, Set<Long> known, long now, Deadlines deadlines) {
        for (Long attemptId : List.copyOf(agent.attempts)) {
            AttemptRef ref = attempts.get(attemptId);
            if (ref == null || known.contains(attemptId)) {
                continue;
            }
            Task t = ref.job().task(ref.task());
            long startedAt = t.backupAttemptId == attemptId ? t.backupStartedAtMs : t.assignedAtMs;
            if (now - startedAt >= deadlines.boundFor(agent, ref.job().def)) {
                release(attemptId);
            }
        }
    }

    /** What the agent runs, as recorded in {@link Fact.AgentSilent}. */
    List<Fact.HeldAttempt> held(AgentRecord agent) {
        List<Fact.HeldAttempt> held = new ArrayList<>(agent.attempts.size());
        for (Long attemptId : agent.attempts) {
            AttemptRef ref = attempts.get(attemptId);
            if (ref != null) {
                held.add(new Fact.HeldAttempt(attemptId, ref.job().def.jobId(), ref.task()));
            }
        }
        return held;
    }
}
