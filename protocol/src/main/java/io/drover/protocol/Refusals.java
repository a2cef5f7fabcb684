package io.drover.protocol;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Within one {@link CoordinatorConnection} call: whether every endpoint has refused the connection
 * and nothing else went wrong. A refusal is the kernel's answer that nothing listens on the port, so
 * it needs no waiting out; a timeout, a {@code NotLeader} or an {@code Unavailable} means a
 * coordinator is there (or frozen, or being elected) and the call keeps its whole retry deadline.
 * One round more after {@link #PAUSE} covers a coordinator that is restarting just then.
 */
final class Refusals {
    static final Duration PAUSE = Duration.ofMillis(750);
    static final int ROUNDS = 2;

    private final int endpoints;
    private final Set<Endpoint> refused = new HashSet<>();
    private boolean somethingElse;
    private int rounds;

    Refusals(int distinctEndpoints) {
        this.endpoints = distinctEndpoints;
    }

    /** Any outcome other than a refusal: from now on this call retries until its deadline. */
    void other() {
        somethingElse = true;
    }

    /**
     * Records the failure of a connection to {@code endpoint}; true when it completed a round in which
     * every endpoint refused.
     */
    boolean roundRefused(Endpoint endpoint, Throwable failure) {
        if (somethingElse || endpoint == null || !isRefusal(failure)) {
            somethingElse = true;
            return false;
        }
        refused.add(endpoint);
        if (refused.size() < endpoints) {
            return false;
        }
        refused.clear();
        rounds++;
        return true;
    }

    /** Whether the rounds of refusals are enough to give up. */
    boolean exhausted() {
        return rounds >= ROUNDS;
    }

    /** Whether {@code t} or a cause is a refused TCP connection (not a timeout, reset or unknown host). */
    static boolean isRefusal(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && t.getMessage() != null
                    && t.getMessage().toLowerCase(Locale.ROOT).contains("refused")) {
                return true;
            }
        }
        return false;
    }

    /** A connect or read that timed out: a coordinator may be there, frozen or slow. */
    static boolean isTimeout(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
