package io.drover.coordinator.core;

import io.drover.coordinator.core.Response.Assignment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Straggler backups (speculative execution): when a job's tail is slow, a task running longer than
 * the {@link BackupPolicy}'s multiple of the job's median task time gets one backup attempt on
 * another agent, on a slot no ready task could take (the {@link Assigner} offers only those), so
 * backups never hold back a first attempt. The first result of either attempt commits, as any
 * result does; the other attempt is cancelled. Only jobs that allow backups get them
 * ({@link JobDefinition#backups()}), and never their reduce task.
 *
 * <p>Which attempt is a backup is soft state: after a failover the new leader adopts a re-reported
 * second attempt as the backup (or cancels it), and may start a backup again. That is safe because
 * a task commits at most one result, whichever attempt or epoch it comes from.
 */
final class Backups {
    private final BackupPolicy policy;
    private final Collection<Job> jobs;
    private final AttemptLedger ledger;
    private final Quotas quotas;

    Backups(BackupPolicy policy, Collection<Job> jobs, AttemptLedger ledger, Quotas quotas) {
        this.quotas = quotas;
        this.policy = policy;
        this.jobs = jobs;
        this.ledger = ledger;
    }

    /**
     * Starts backups of stragglers on {@code agent} while it has room, into {@code out}: higher
     * priority jobs first, then older jobs, each job's longest-running tasks first.
     */
    void start(AgentRecord agent, long now, List<Assignment> out) {
        if (!agent.acceptsWork() || agent.freeSlots() == 0) {
            return;
        }
        List<Job> candidates = new ArrayList<>();
        for (Job job : jobs) {
            // A backup counts against its owner's running cap like any attempt: an owner at its cap gets none.
            if (eligible(job) && Placement.staticMismatch(job.def, agent) == null && !quotas.atCap(job.def.owner())) {
                candidates.add(job);
            }
        }
        candidates.sort((a, b) -> a.def.priority() != b.def.priority()
                ? Integer.compare(b.def.priority(), a.def.priority()) : Long.compare(a.order, b.order));
        for (Job job : candidates) {
            long after = policy.stragglerAfterMs(job.taskTimes.medianMs());
            for (Task t : job.running()) { // starting a backup leaves the set as it is
                if (agent.freeSlots() < job.def.slotsPerTask()) {
                    break;
                }
                if (now - t.assignedAtMs <= after) {
                    break; // oldest start first: the rest started later still
                }
                if (!straggles(t, now, after)) {
                    continue;
                }
                if (backupable(job, t) && !agent.id.equals(t.agentId) && !quotas.atCap(job.def.owner())) {
                    long attemptId = ledger.startBackup(job, t, agent, now);
                    agent.noteArtifact(job.def.artifactSha256());
                    out.add(Assigner.assignment(job, t, attemptId));
                }
            }
        }
    }

    /** Whether some task is a straggler now that no backup runs for: idle agents are worth asking. */
    boolean due(long now) {
        for (Job job : jobs) {
            if (!eligible(job)) {
                continue;
            }
            long after = policy.stragglerAfterMs(job.taskTimes.medianMs());
            for (Task t : job.running()) {
                if (now - t.assignedAtMs <= after) {
                    break;
                }
                if (straggles(t, now, after) && backupable(job, t)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * What a heartbeat says of an attempt it lists: one waiting in the agent's queue (queue-ahead) is
     * not running yet, so its wait neither makes it a straggler nor counts in the job's task times;
     * once a later heartbeat lists it started, its time counts from then (a little late, never early).
     */
    static void observe(Task t, long attemptId, boolean queued, long now) {
        if (t.attemptId != attemptId || t.state != TaskState.RUNNING) {
            return;
        }
        if (queued) {
            t.waitingOnAgent = true;
        } else if (t.waitingOnAgent) {
            t.waitingOnAgent = false;
            t.workStartedAtMs = now;
        }
    }

    /** A new current attempt: nothing known yet of its queueing. */
    static void reset(Task t) {
        t.waitingOnAgent = false;
        t.workStartedAtMs = 0;
    }

    private static long workStart(Task t) {
        return t.workStartedAtMs > 0 ? t.workStartedAtMs : t.assignedAtMs;
    }

    /** Running (not waiting in its agent's queue) for longer than {@code afterMs}. */
    private static boolean straggles(Task t, long now, long afterMs) {
        return !t.waitingOnAgent && now - workStart(t) > afterMs;
    }

    /** A job whose running tasks may be backed up: it allows it and enough shards finished for a median. */
    private boolean eligible(Job job) {
        return job.def.backups() && job.state == JobState.RUNNING && !job.running().isEmpty()
                && job.shardsSucceeded >= policy.finishedNeeded(job.def.shardCount())
                && job.taskTimes.count() > 0;
    }

    /** At most one backup per task (per leader), never for the reduce task. */
    private static boolean backupable(Job job, Task t) {
        return t.state == TaskState.RUNNING && t.backups == 0 && t.backupAttemptId == 0 && !job.isReduceTask(t.index);
    }

    /**
     * An agent re-reports, after a failover, an attempt of a task another agent already runs: it is
     * kept as the task's backup when the job allows backups and the task has none yet.
     */
    static boolean adoptableAsBackup(Job job, Task t, AgentRecord agent) {
        return job.def.backups() && job.state == JobState.RUNNING && t.state == TaskState.RUNNING
                && t.backupAttemptId == 0 && t.agentId != null && !agent.id.equals(t.agentId) && !job.isReduceTask(t.index);
    }

    /**
     * A RUNNING task commits the result of {@code attemptId}: notes whether its backup won and how
     * long the winning attempt ran (the job's median task time learns from it).
     */
    static void committed(Job job, Task t, long attemptId, long now) {
        long startedAt = 0;
        if (attemptId == t.backupAttemptId && attemptId != 0) {
            t.backupWon = true;
            job.backupsWon++;
            t.lastAttemptId = attemptId; // the winner's output is the one to read (drover logs, status)
            t.lastAgentId = t.backupAgentId;
            startedAt = t.backupStartedAtMs;
        } else if (attemptId == t.attemptId) {
            startedAt = workStart(t);
        }
        if (startedAt > 0 && !job.isReduceTask(t.index)) {
            job.taskTimes.add(now - startedAt);
        }
    }
}
