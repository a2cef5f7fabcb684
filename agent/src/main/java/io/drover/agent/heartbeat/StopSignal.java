package io.drover.agent.heartbeat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A one-way "stop now" flag that loops can also wait on instead of sleeping. */
final class StopSignal {
    private final CountDownLatch latch = new CountDownLatch(1);

    void set() {
        latch.countDown();
    }

    boolean isSet() {
        return latch.getCount() == 0;
    }

    /** Waits up to {@code pause}; returns true if stopped meanwhile (or the thread was interrupted). */
    boolean await(Duration pause) {
        try {
            return latch.await(pause.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
