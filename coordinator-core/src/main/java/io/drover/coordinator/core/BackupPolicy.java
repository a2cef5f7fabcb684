package io.drover.coordinator.core;

/**
 * When the leader backs up a straggling task (for jobs that allow backups): once the job has at
 * least {@code minFinished} finished shards and at least {@code minFinishedFraction} of its shards
 * finished (enough for a median), a task running longer than {@code factor} times the median
 * finished-task time, and at least {@code floorMs}, gets one backup attempt on another agent.
 *
 * @param factor              how many medians a task may run before it is a straggler (> 1)
 * @param floorMs             a task never counts as a straggler before this (short tasks jitter)
 * @param minFinished         finished shards a job needs before its median is trusted
 * @param minFinishedFraction the same as a share of the job's shards (0..1)
 */
public record BackupPolicy(double factor, long floorMs, int minFinished, double minFinishedFraction) {
    public BackupPolicy {
        if (!(factor > 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("backup factor must be a finite number > 1, was " + factor);
        }
        if (floorMs < 0 || minFinished < 1) {
            throw new IllegalArgumentException("backup floorMs must be >= 0 and minFinished >= 1");
        }
        if (!(minFinishedFraction >= 0 && minFinishedFraction <= 1)) {
            throw new IllegalArgumentException("backup minFinishedFraction must be in 0..1, was " + minFinishedFraction);
        }
    }

    /** 3 x the median, at least 1 s, once 5 shards and 10% of the job's shards are done. */
    public static BackupPolicy defaults() {
        return new BackupPolicy(3.0, 1_000, 5, 0.10);
    }

    /** Finished shards a job of {@code shardCount} shards needs before any of its tasks is backed up. */
    int finishedNeeded(int shardCount) {
        return Math.max(minFinished, (int) Math.ceil(shardCount * minFinishedFraction));
    }

    /** How long a task may run before it is a straggler, given the job's median task time. */
    long stragglerAfterMs(long medianMs) {
        double limit = Math.max(floorMs, factor * medianMs);
        return limit >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(limit);
    }
}
