package io.drover.coordinator.core;

/**
 * Tunables of the scheduling core, in milliseconds.
 *
 * @param suspectAfterMs     silence after which an agent gets no new work
 * @param lostAfterMs        silence after which an agent's attempts are re-queued
 * @param recoveryWindowMs   after taking leadership, the longest it only adopts running attempts
 *                           re-reported by agents before assigning anything (it ends early once
 *                           every agent known from the durable facts has reported)
 * @param backoffBaseMs      first retry delay; doubles per failed attempt
 * @param backoffMaxMs       retry delay cap
 * @param retainFinishedJobs finished jobs kept in memory for status queries
 * @param disconnectGraceMs  after an agent's connection drops, how long it has to come back before
 *                           its attempts are re-queued (a dropped connection is a strong hint of a
 *                           dead agent; silence thresholds are the backstop)
 * @param backups            when a straggling task of a job that allows backups gets a backup attempt
 * @param retainFinishedTasks finished jobs kept in memory hold at most about this many tasks together (the
 *                           newest finished job stays whatever its size): a job's tasks cost memory on the
 *                           leader and bytes in every compaction snapshot, so a count of jobs alone does not
 *                           bound them
 */
public record SchedulerConfig(long suspectAfterMs, long lostAfterMs, long recoveryWindowMs, long backoffBaseMs,
                              long backoffMaxMs, int retainFinishedJobs, long disconnectGraceMs,
                              java.util.Map<String, DisconnectPolicy> pools, BackupPolicy backups,
                              long retainFinishedTasks) {

    /** The default bound on finished jobs' tasks kept in memory (see {@code retainFinishedTasks}). */
    public static final long DEFAULT_RETAIN_FINISHED_TASKS = 2_000_000;

    /** With the default bound on finished jobs' tasks. */
    public SchedulerConfig(long suspectAfterMs, long lostAfterMs, long recoveryWindowMs, long backoffBaseMs,
                           long backoffMaxMs, int retainFinishedJobs, long disconnectGraceMs,
                           java.util.Map<String, DisconnectPolicy> pools, BackupPolicy backups) {
        this(suspectAfterMs, lostAfterMs, recoveryWindowMs, backoffBaseMs, backoffMaxMs, retainFinishedJobs,
                disconnectGraceMs, pools, backups, DEFAULT_RETAIN_FINISHED_TASKS);
    }

    /** With the default backup policy. */
    public SchedulerConfig(long suspectAfterMs, long lostAfterMs, long recoveryWindowMs, long backoffBaseMs,
                           long backoffMaxMs, int retainFinishedJobs, long disconnectGraceMs,
                           java.util.Map<String, DisconnectPolicy> pools) {
        this(suspectAfterMs, lostAfterMs, recoveryWindowMs, backoffBaseMs, backoffMaxMs, retainFinishedJobs,
                disconnectGraceMs, pools, BackupPolicy.defaults());
    }

    /** Without pool-specific policies: every agent uses lostAfterMs and disconnectGraceMs. */
    public SchedulerConfig(long suspectAfterMs, long lostAfterMs, long recoveryWindowMs, long backoffBaseMs,
                           long backoffMaxMs, int retainFinishedJobs, long disconnectGraceMs) {
        this(suspectAfterMs, lostAfterMs, recoveryWindowMs, backoffBaseMs, backoffMaxMs, retainFinishedJobs,
                disconnectGraceMs, java.util.Map.of());
    }

    /** The policy for agents whose {@code pool} label is {@code pool} (null: no label). */
    public DisconnectPolicy policyFor(String pool) {
        DisconnectPolicy p = pool == null ? null : pools.get(pool);
        return p != null ? p : new DisconnectPolicy(lostAfterMs, disconnectGraceMs);
    }

    public SchedulerConfig withPools(java.util.Map<String, DisconnectPolicy> newPools) {
        return new SchedulerConfig(suspectAfterMs, lostAfterMs, recoveryWindowMs, backoffBaseMs, backoffMaxMs,
                retainFinishedJobs, disconnectGraceMs, newPools, backups, retainFinishedTasks);
    }

    public SchedulerConfig withBackups(BackupPolicy policy) {
        return new SchedulerConfig(suspectAfterMs, lostAfterMs, recoveryWindowMs, backoffBaseMs, backoffMaxMs,
                retainFinishedJobs, disconnectGraceMs, pools, policy, retainFinishedTasks);
    }

    public SchedulerConfig withRetention(int finishedJobs, long finishedTasks) {
        return new SchedulerConfig(suspectAfterMs, lostAfterMs, recoveryWindowMs, backoffBaseMs, backoffMaxMs,
                finishedJobs, disconnectGraceMs, pools, backups, finishedTasks);
    }

    public SchedulerConfig {
        if (suspectAfterMs <= 0 || lostAfterMs < suspectAfterMs) {
            throw new IllegalArgumentException("need 0 < suspectAfterMs (" + suspectAfterMs
                    + ") <= lostAfterMs (" + lostAfterMs + ")");
        }
        if (recoveryWindowMs < 0 || backoffBaseMs < 0 || backoffMaxMs < backoffBaseMs) {
            throw new IllegalArgumentException("recoveryWindowMs, backoffBaseMs must be >= 0 and backoffMaxMs >= backoffBaseMs");
        }
        pools = java.util.Map.copyOf(pools);
        backups = backups == null ? BackupPolicy.defaults() : backups;
        if (disconnectGraceMs < 0) {
            throw new IllegalArgumentException("disconnectGraceMs must be >= 0");
        }
        if (retainFinishedJobs < 1) {
            throw new IllegalArgumentException("retainFinishedJobs must be >= 1");
        }
        if (retainFinishedTasks < 1) {
            throw new IllegalArgumentException("retainFinishedTasks must be >= 1");
        }
    }

    public static SchedulerConfig defaults() {
        return new SchedulerConfig(3_000, 10_000, 5_000, 500, 30_000, 1_000, 1_000);
    }

    public long backoffMs(int failedAttempts) {
        long delay = backoffBaseMs << Math.min(20, Math.max(0, failedAttempts - 1));
        return Math.min(backoffMaxMs, delay);
    }
}
