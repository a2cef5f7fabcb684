package io.drover.coordinator.core;

import java.util.Map;

/**
 * A job as rebuilt from durable facts when a coordinator takes leadership: its definition, the
 * committed results and permanent failures of its tasks, and its end if it ended.
 */
public record RecoveredJob(JobDefinition definition, Map<Integer, byte[]> committed, Map<Integer, String> failed,
                           Fact.JobEnded end) {
    public RecoveredJob {
        committed = Map.copyOf(committed);
        failed = Map.copyOf(failed);
    }
}

