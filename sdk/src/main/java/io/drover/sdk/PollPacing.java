package io.drover.sdk;

/**
 * How long {@link JobHandle#await} sleeps before its next poll: a backoff from {@code first} to
 * {@code max}, shortened near the job's expected end. From the rate at which tasks have ended
 * since the first poll it estimates when the rest will have ended, and polls again after half of
 * that (never sooner than {@code first}), so a job of many short tasks is seen ending within a
 * poll or two of {@code first} instead of up to {@code max} late. One poll loop's state; not
 * thread-safe.
 */
final class PollPacing {
    private final long firstNanos;
    private final long maxNanos;
    private long backoffNanos;
    private long startNanos;
    private int startEnded = -1;

    PollPacing(long firstNanos, long maxNanos) {
        this.firstNanos = firstNanos;
        this.maxNanos = maxNanos;
        this.backoffNanos = firstNanos;
    }

    /**
     * The pause before the next poll, after a poll at {@code nowNanos} that saw {@code ended} of
     * {@code total} tasks ended.
     */
    long next(long nowNanos, int ended, int total) {
        long pause = backoffNanos;
        backoffNanos = Math.min(backoffNanos * 2, maxNanos);
        if (startEnded < 0) {
            startNanos = nowNanos;
            startEnded = ended;
            return pause;
        }
        int done = ended - startEnded;
        int left = total - ended;
        if (done <= 0 || left <= 0) {
            return pause;
        }
        double nanosPerTask = (nowNanos - startNanos) / (double) done;
        long halfEta = (long) (nanosPerTask * left / 2);
        return Math.max(firstNanos, Math.min(pause, halfEta));
    }
}
