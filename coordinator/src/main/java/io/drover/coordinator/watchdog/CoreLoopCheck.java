package io.drover.coordinator.watchdog;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Fails while this coordinator leads and its core loop has not finished a turn since the previous
 * check. An idle loop still turns on every tick, so a count that stands still means a stuck loop.
 */
public final class CoreLoopCheck implements ServingWatchdog.Check {
    private final BooleanSupplier leading;
    private final LongSupplier turns;
    private long lastTurns = -1;

    public CoreLoopCheck(BooleanSupplier leading, LongSupplier turns) {
        this.leading = leading;
        this.turns = turns;
    }

    @Override
    public String failure() {
        long now = turns.getAsLong();
        long before = lastTurns;
        lastTurns = now;
        if (!leading.getAsBoolean() || now != before) {
            return null;
        }
        return "the core loop has not turned since the last check (" + now + " turns)";
    }
}
