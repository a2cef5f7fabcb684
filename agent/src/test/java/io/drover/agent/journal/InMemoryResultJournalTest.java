package io.drover.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.task.AttemptRef;
import io.drover.agent.task.Execution;
import io.drover.agent.task.TaskReport;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryResultJournalTest {
    private final InMemoryResultJournal journal = new InMemoryResultJournal();

    @Test
    void keepsResultsInOrderUntilAcknowledged() {
        journal.append(report(1));
        journal.append(report(2));
        journal.append(report(3));

        assertThat(journal.pending(2)).extracting(TaskReport::attemptId).containsExactly(1L, 2L);

        journal.acknowledge(List.of(2L, 99L));

        assertThat(journal.pending(10)).extracting(TaskReport::attemptId).containsExactly(1L, 3L);
        assertThat(journal.holds(2)).isFalse();
        assertThat(journal.holds(3)).isTrue();
        assertThat(journal.size()).isEqualTo(2);
    }

    @Test
    void firstResultOfAnAttemptWins() {
        journal.append(report(1));
        journal.append(new TaskReport(new AttemptRef(1, "j", 0), Execution.failed("late"), 5));

        assertThat(journal.pending(10)).singleElement().satisfies(r -> assertThat(r.execution().error()).isEmpty());
    }

    private static TaskReport report(long attempt) {
        return new TaskReport(new AttemptRef(attempt, "j", 0), Execution.succeeded(new byte[] {1}), 1);
    }
}
