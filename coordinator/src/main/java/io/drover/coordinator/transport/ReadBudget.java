package io.drover.coordinator.transport;

import java.util.concurrent.atomic.AtomicLong;

/** Request bytes all connections hold together, bounded; a reservation that does not fit is refused. */
final class ReadBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    ReadBudget(long limit) {
        this.limit = limit;
    }

    boolean tryReserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }
}
