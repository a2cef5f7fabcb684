package io.drover.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.task.JobDescription.JobKind;
import io.drover.agent.task.TaskAssignment;
import io.drover.agent.task.TaskOutcome;
import io.drover.agent.task.TaskReport;
import java.time.Clock;
import java.util.List;
import java.util.EnumMap;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A closing supervisor takes no work: it offers no slots and gives back what arrives anyway. */
class TaskSupervisorClosingTest {
    private final RecordingSink sink = new RecordingSink();
    private final List<TaskReport> reported = sink.reported;

    @Test
    void assignmentArrivingAfterCloseIsGivenBackOnceWithoutRunning() {
        TaskSupervisor supervisor = new TaskSupervisor("closing", 2, jobId -> {
            throw new AssertionError("a given-back assignment must not be prepared");
        }, new EnumMap<>(JobKind.class), sink, Clock.systemUTC());
        supervisor.close();

        supervisor.assign(assignment(7));
        supervisor.assign(assignment(7)); // the same assignment again (a resent reply)

        assertThat(reported).singleElement().satisfies(r -> {
            assertThat(r.attemptId()).isEqualTo(7);
            assertThat(r.outcome()).isEqualTo(TaskOutcome.CANCELLED);
            assertThat(r.execution().error()).hasValueSatisfying(e -> assertThat(e).contains("given back"));
        });
        assertThat(supervisor.freeSlots()).isZero();
        assertThat(supervisor.running()).isEmpty();
        assertThat(supervisor.counts().started()).isZero();
    }

    private static TaskAssignment assignment(long attemptId) {
        return new TaskAssignment(attemptId, "job", 0, Optional.empty(), false, List.of());
    }
}
