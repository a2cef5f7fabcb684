package io.drover.protocol;

import java.time.Duration;

/**
 * How long each step of a {@link CoordinatorConnection} may take before the coordinator is taken for
 * unresponsive and the next endpoint is tried. Socket connects prove nothing (a frozen process's kernel
 * still completes the TCP handshake), so every read has an application-level deadline of its own.
 *
 * @param connect    TCP connect
 * @param hello      the handshake on a fresh connection; to an endpoint that just failed to answer,
 *                   at most {@link #SUSPECT_HELLO} (a standby's stale hint must not cost a long wait)
 * @param call       an ordinary call: small request, small answer
 * @param parkMargin beyond a parked call's own wait (a long poll's maxWait, a log read's wait)
 * @param retry      how long one {@code call} keeps trying endpoints before giving up
 */
public record CallDeadlines(Duration connect, Duration hello, Duration call, Duration parkMargin, Duration retry) {
    /** Slow edge links (satellite, congested mobile) still answer a small call well within these. */
    public static final CallDeadlines DEFAULTS = new CallDeadlines(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(30));
    /** The hello deadline for an endpoint that recently failed to answer. */
    public static final Duration SUSPECT_HELLO = Duration.ofMillis(500);
    /** The slowest link payload deadlines allow for: 1 Mbit/s. */
    public static final long MIN_BYTES_PER_SECOND = 128 * 1024;

    public CallDeadlines {
        positive("connect", connect);
        positive("hello", hello);
        positive("call", call);
        if (parkMargin == null || parkMargin.isNegative()) {
            throw new IllegalArgumentException("parkMargin must not be negative, was " + parkMargin);
        }
        if (retry == null || retry.isNegative()) {
            throw new IllegalArgumentException("retry must not be negative, was " + retry);
        }
        // Socket timeouts are ints of milliseconds.
        for (Duration d : new Duration[] {connect, hello, call, parkMargin}) {
            if (d.toMillis() > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("deadline too long: " + d);
            }
        }
    }

    /** The deadline of a call the coordinator may hold for {@code wait} before answering. */
    public Duration parked(Duration wait) {
        return wait.plus(parkMargin);
    }

    /** The deadline of a call that carries about {@code bytes} either way, at the slowest link rate allowed for. */
    public Duration payload(long bytes) {
        return call.plusMillis(bytes * 1000 / MIN_BYTES_PER_SECOND);
    }

    public CallDeadlines withCall(Duration value) {
        return new CallDeadlines(connect, hello, value, parkMargin, retry);
    }

    public CallDeadlines withConnect(Duration value) {
        return new CallDeadlines(value, hello, call, parkMargin, retry);
    }

    public CallDeadlines withHello(Duration value) {
        return new CallDeadlines(connect, value, call, parkMargin, retry);
    }

    public CallDeadlines withRetry(Duration value) {
        return new CallDeadlines(connect, hello, call, parkMargin, value);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " deadline must be positive, was " + d);
        }
    }
}
