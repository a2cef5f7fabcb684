package io.drover.coordinator.core;

import java.util.List;

/**
 * A schedule as the core sees it now.
 *
 * @param lastFireMs the latest cron time handled (fired or skipped), or the creation time
 * @param history    the latest runs, newest first, with the live state of their jobs
 */
public record ScheduleSnapshot(ScheduleDefinition definition, long lastFireMs, List<ScheduleRun> history) {
    public ScheduleSnapshot {
        history = List.copyOf(history);
    }
}
