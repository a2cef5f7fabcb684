package io.drover.coordinator.engine;

import io.drover.coordinator.core.Fact;
import io.drover.coordinator.core.ScheduleChange;
import io.drover.coordinator.core.ScheduleRun;
import java.util.ArrayList;
import java.util.List;

/**
 * What one group commit means to an operator: tasks committed, failed and retried, jobs accepted and
 * ended, and how late each cron run started. Counted from the facts at the engine's boundary, so the
 * core stays free of metrics, and credited only once the commit is durable.
 */
record FactTally(long tasksCommitted, long tasksFailed, long tasksRetried, long jobsAccepted, long jobsEnded,
                 List<Long> scheduleLatenessMs) {
    static final FactTally NONE = new FactTally(0, 0, 0, 0, 0, List.of());

    static FactTally of(List<Fact> facts) {
        long committed = 0;
        long failed = 0;
        long retried = 0;
        long accepted = 0;
        long ended = 0;
        List<Long> lateness = List.of();
        for (Fact f : facts) {
            if (f instanceof Fact.TaskCommitted) {
                committed++;
            } else if (f instanceof Fact.TaskFailed) {
                failed++;
            } else if (f instanceof Fact.TaskRetried) {
                retried++;
            } else if (f instanceof Fact.JobAccepted) {
                accepted++;
            } else if (f instanceof Fact.JobEnded) {
                ended++;
            } else if (f instanceof Fact.ScheduleChanged c && c.change() instanceof ScheduleChange.Ran r
                    && r.run().status() == ScheduleRun.Status.STARTED) {
                if (lateness.isEmpty()) {
                    lateness = new ArrayList<>();
                }
                lateness.add(Math.max(0, r.run().firedMs() - r.run().scheduledMs()));
            }
        }
        return committed + failed + retried + accepted + ended == 0 && lateness.isEmpty() ? NONE
                : new FactTally(committed, failed, retried, accepted, ended, lateness);
    }
}
