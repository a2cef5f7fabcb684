package io.drover.coordinator.watchdog;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Fails while this coordinator leads and its core loop has neither finished a turn nor made a step
 * of long work inside one since the previous check. An idle loop still turns on every tick, and a
 * long turn (a compaction runs on the loop's thread) steps after each piece it writes, so counts
 * that both stand still mean a stuck loop, even one stuck part-way through a compaction.
 */
public final class CoreLoopCheck implements ServingWatchdog.Check {
    private final BooleanSupplier leading;
    private final LongSupplier turns;
    private final LongSupplier steps;
    private long lastTurns = -1;
    private long lastSteps = -1;

    public CoreLoopCheck(BooleanSupplier leading, LongSupplier turns, LongSupplier steps) {
        this.leading = leading;
        this.turns = turns;
        this.steps = steps;
    }

    @Override
    public String failure() {
        long nowTurns = turns.getAsLong();
        long nowSteps = steps.getAsLong();
        boolean moved = nowTurns != lastTurns || nowSteps != lastSteps;
        lastTurns = nowTurns;
        lastSteps = nowSteps;
        if (!leading.getAsBoolean() || moved) {
            return null;
        }
        return "the core loop has not turned or made progress since the last check (" + nowTurns + " turns, "
                + nowSteps + " steps of long work)";
    }
}
