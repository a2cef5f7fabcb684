package io.drover.agent.identity;

import java.time.Duration;
import java.time.Instant;

/**
 * When to renew: at two thirds of the certificate's lifetime, leaving a third to retry in (8 h of a
 * 24 h certificate). A failed try is retried after 1 s, doubling to at most 5 min, never past the
 * certificate's end.
 */
public final class RenewalSchedule {
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);

    private RenewalSchedule() {
    }

    public static Instant renewAt(Instant notBefore, Instant notAfter) {
        Duration life = Duration.between(notBefore, notAfter);
        return notBefore.plus(life.multipliedBy(2).dividedBy(3));
    }

    /**
     * As {@link #renewAt(Instant, Instant)}, the lifetime counted from when the agent got the
     * certificate if that is later than its start: a CA dates certificates back for clock skew (the
     * cluster CA a minute), which would put the renewal of a short-lived certificate in the past, and
     * each renewal would at once ask for the next.
     */
    public static Instant renewAt(Instant notBefore, Instant notAfter, Instant receivedAt) {
        return renewAt(receivedAt.isAfter(notBefore) && receivedAt.isBefore(notAfter) ? receivedAt : notBefore, notAfter);
    }

    /** The wait before try {@code failures + 1}, after {@code failures} failed ones (failures >= 1). */
    public static Duration retryAfter(int failures, Instant now, Instant notAfter) {
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(failures - 1, 20));
        if (wait.compareTo(MAX_RETRY) > 0) {
            wait = MAX_RETRY;
        }
        Duration left = Duration.between(now, notAfter);
        return left.isNegative() || left.compareTo(wait) >= 0 ? wait : left;
    }
}
