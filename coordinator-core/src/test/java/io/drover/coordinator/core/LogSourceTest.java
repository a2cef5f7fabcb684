package io.drover.coordinator.core;

import static io.drover.coordinator.core.CoreHarness.job;
import static io.drover.coordinator.core.CoreHarness.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.Response.Assignment;
import io.drover.coordinator.core.Response.TaskLocation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The core's part in reading task output: where a task's newest attempt ran, and waking an agent's poll. */
class LogSourceTest {
    private final CoreHarness h = new CoreHarness(CoreHarness.config());

    private Response locate(String jobId, int task) {
        return h.apply(new Event.LocateTask(h.nextRequest++, h.now, jobId, task));
    }

    @Test
    void aTaskKeepsItsNewestAttemptsAgentAfterItEnds() {
        String id = h.submit(job("k", 2, true, 3));
        assertThat(locate(id, 0)).isEqualTo(new TaskLocation(id, 0, 0, 0, null, null, false));
        h.register("a1", 1);
        Assignment a = h.heartbeat("a1", List.of()).assignments().get(0);
        TaskLocation running = (TaskLocation) locate(id, a.task());
        assertThat(running.attempts()).isEqualTo(1);
        assertThat(running.attemptId()).isEqualTo(a.attemptId());
        assertThat(running.agentId()).isEqualTo("a1");
        assertThat(running.agentState()).isEqualTo(AgentState.ALIVE);
        assertThat(running.taskEnded()).isFalse();

        h.heartbeat("a1", List.of(ok(a, new byte[] {1})));
        TaskLocation ended = (TaskLocation) locate(id, a.task());
        assertThat(ended.agentId()).as("kept after the attempt ended").isEqualTo("a1");
        assertThat(ended.attemptId()).isEqualTo(a.attemptId());
        assertThat(ended.taskEnded()).isTrue();
    }

    @Test
    void unknownJobsAndTasksAreRejectedNamingTheRange() {
        String id = h.submit(job("k", 2, true, 3));
        assertThat(locate("nope", 0)).isEqualTo(new Response.Rejected("unknown job nope"));
        assertThat(((Response.Rejected) locate(id, 3)).message())
                .isEqualTo("job " + id + " has tasks 0..2 (task 2 is the reduce step); there is no task 3");
        assertThat(locate(id, -1)).isInstanceOf(Response.Rejected.class);
    }

    @Test
    void wakingAParkedPollAnswersItNow() {
        h.register("a1", 1);
        long poll = h.poll("a1", 30_000);
        assertThat(h.answerFor(poll)).isNull();
        h.apply(new Event.WakeAgent(h.now, "a1"));
        assertThat(h.answerFor(poll)).isNotNull();
    }

    @Test
    void aWakeBeforeThePollArrivesAnswersTheNextPollAtOnceOnly() {
        h.register("a1", 1);
        h.apply(new Event.WakeAgent(h.now, "a1"));
        long first = h.poll("a1", 30_000);
        assertThat(h.answerFor(first)).as("no lost wake-up").isNotNull();
        long second = h.poll("a1", 30_000);
        assertThat(h.answerFor(second)).as("the wake is used up").isNull();
        h.apply(new Event.WakeAgent(h.now, "nobody")); // unknown agents are ignored
    }
}
