package io.drover.agent.journal;

import io.drover.agent.task.TaskReport;
import java.util.List;
import java.util.Objects;

/** One entry of the on-disk result journal: a finished attempt, or acknowledgements of earlier ones. */
sealed interface JournalRecord {
    /** An attempt finished; its report waits for the coordinator's acknowledgement. */
    record Result(TaskReport report) implements JournalRecord {
        public Result {
            Objects.requireNonNull(report, "report");
        }
    }

    /** The coordinator acknowledged these attempts: their results may be forgotten. */
    record Ack(List<Long> attemptIds) implements JournalRecord {
        public Ack {
            attemptIds = List.copyOf(attemptIds);
        }
    }
}
