package io.drover.agent.exec;

import io.drover.agent.contain.TrackedContainment;
import io.drover.agent.platform.ProcessTree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.logs.TaskOutputs;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.JobDescription.JobKind;
import io.drover.agent.task.JvmIsolation;
import io.drover.agent.task.TaskAssignment;
import io.drover.agent.task.TaskOutcome;
import io.drover.agent.task.TaskReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queue-ahead: an agent accepts tasks beyond its slots but never runs more than its slots at once,
 * and a queued task's timeout counts from its start, not from its arrival. Real processes.
 */
class TaskSupervisorQueueAheadTest {
    @TempDir
    Path dir;
    private final RecordingSink sink = new RecordingSink();
    private final List<TaskReport> reported = sink.reported;
    private TaskSupervisor supervisor;

    @AfterEach
    void close() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    @Test
    void queuedTasksWaitForTheSlotAndTheirTimeoutStartsWhenTheyStart() {
        // Each task holds a lock directory for 600 ms: two at once would make one of them fail.
        // The third task arrives with the others but ends ~1.8 s later, past the 1.5 s timeout:
        // it succeeds only if its timeout counts from its own start.
        Path lock = dir.resolve("lock");
        String script = "mkdir " + lock + " || exit 7; sleep 0.6; rmdir " + lock;
        JobDescription job = new JobDescription("job", JobKind.PROCESS, Optional.empty(), Optional.empty(),
                List.of("/bin/sh", "-c", script), List.of(), 3, Optional.of(Duration.ofMillis(1500)), 0, JvmIsolation.WORKER);
        TaskOutputs outputs = new TaskOutputs(dir.resolve("tasks"), 1 << 20);
        supervisor = new TaskSupervisor("qa", 1, 2, jobId -> job,
                Map.of(JobKind.PROCESS, new ProcessTaskExecutor(outputs, TrackedContainment.onHost(ProcessTree.detect()), Duration.ofSeconds(1), "qa")),
                sink, Clock.systemUTC());
        assertThat(supervisor.freeSlots()).as("slots + queue-ahead").isEqualTo(3);

        for (int task = 0; task < 3; task++) {
            supervisor.assign(new TaskAssignment(100 + task, "job", task, Optional.empty(), false, List.of()));
        }

        assertThat(supervisor.freeSlots()).isZero();
        assertThat(supervisor.running()).hasSize(3);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(supervisor.queued())
                .as("heartbeats name the two waiting for the slot as queued").hasSize(2).isSubsetOf(100L, 101L, 102L));
        await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.queued().size() == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> reported.size() == 3);
        assertThat(reported).allSatisfy(r -> assertThat(r.outcome()).as(r.execution().error().orElse("")).isEqualTo(TaskOutcome.SUCCEEDED));
        assertThat(reported).extracting(TaskReport::runMillis).allSatisfy(ms -> assertThat(ms).isBetween(550L, 1400L));
        assertThat(supervisor.freeSlots()).isEqualTo(3);
    }
}
