package io.drover.agent.blob;

/**
 * The pause after a refused or failed blob call before the next try: 200 ms, doubling, at most 2 s
 * (five setbacks wait about 5 s in all). A coordinator that just became leader refuses an agent's
 * blob reads until that agent's heartbeat has told it which attempts the agent runs; the pause lets
 * that heartbeat land instead of failing the attempt at once.
 */
public final class Setbacks {
    private static final long FIRST_MS = 200;
    private static final long MAX_MS = 2000;

    private Setbacks() {
    }

    /** The pause after the {@code setbacks}-th setback in a row (1-based). */
    public static long pauseMs(int setbacks) {
        return Math.min(MAX_MS, FIRST_MS << Math.min(Math.max(setbacks - 1, 0), 10));
    }

    /** Waits {@link #pauseMs}; an interrupt (cancel, timeout, shutdown) ends the wait at once. */
    public static void pause(int setbacks) throws InterruptedException {
        Thread.sleep(pauseMs(setbacks));
    }
}
