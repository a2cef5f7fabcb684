package io.drover.coordinator.core;

import static io.drover.coordinator.core.CoreHarness.job;
import static io.drover.coordinator.core.CoreHarness.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.Response.Assignment;
import io.drover.coordinator.core.Response.HeartbeatAnswer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A new leader and the work the agents hold when it takes over: running attempts, and finished
 * ones whose results wait in an agent's journal for an acknowledgement. The agents' first
 * heartbeats name both (a long poll carries no results, only the attempts the agent answers for);
 * nothing they name may start again, and a stale naming of an attempt whose outcome already came
 * must not attach it to the agent again.
 */
class TakeoverTest {
    private static final SchedulerConfig SLOW_WINDOW = new SchedulerConfig(3_000, 10_000, 60_000, 100, 1_000, 100, 1_000);
    private final CoreHarness h = new CoreHarness(CoreHarness.config());

    private static Event.RunningAttempt named(Assignment a) {
        return new Event.RunningAttempt(a.attemptId(), a.jobId(), a.task());
    }

    private HeartbeatAnswer poll(String agent, List<Event.RunningAttempt> owned) {
        return heartbeat(agent, List.of(), owned, false);
    }

    private HeartbeatAnswer heartbeat(String agent, List<Event.Report> results, List<Event.RunningAttempt> owned, boolean draining) {
        return (HeartbeatAnswer) h.apply(new Event.Heartbeat(h.nextRequest++, h.now, agent, results, owned, draining, 0));
    }

    private void takeOver(long epoch) {
        Effects out = new Effects();
        h.core = new Scheduler(SLOW_WINDOW, epoch, FactReplay.replayState(h.facts), h.now, out);
        h.facts.addAll(out.facts());
    }

    @Test
    void resultsAnAgentHoldsAtATakeoverAreWaitedForNotStartedAgain() {
        String id = h.submit(job("k", 4, false, 3));
        h.register("a1", 2);
        h.register("a2", 2);
        List<Assignment> onA1 = h.heartbeat("a1", List.of()).assignments();
        Assignment onA2 = h.heartbeat("a2", List.of()).assignments().get(0); // a fair share: one task is left queued
        // The leader dies; meanwhile a1 finishes one task and journals its result, nobody acknowledges it.
        Assignment held = onA1.get(0);
        Assignment stillRunning = onA1.get(1);
        takeOver(2);
        h.now += 600;

        // Each agent's first word to the new leader is its long poll: what runs and what it holds.
        assertThat(poll("a1", List.of(named(stillRunning), named(held))).assignments()).isEmpty();
        List<Assignment> after = new ArrayList<>(poll("a2", List.of(named(onA2))).assignments());
        after.addAll(poll("a1", List.of(named(stillRunning), named(held))).assignments());

        assertThat(after).as("only the task nobody held starts").extracting(Assignment::task)
                .doesNotContain(held.task(), stillRunning.task(), onA2.task()).hasSize(1);
        h.now += 48;
        HeartbeatAnswer report = h.heartbeat("a1", List.of(ok(held, new byte[] {7})));
        assertThat(report.ackedAttempts()).containsExactly(held.attemptId());
        assertThat(h.committedCount(id, held.task())).isEqualTo(1);
        assertThat(h.job(id).tasks().get(held.task()).state()).isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void anAttemptNamedAgainAfterItsOutcomeCameIsNotTakenBack() {
        String id = h.submit(job("k", 1, false, 3));
        h.register("leaving", 1);
        Assignment a = h.heartbeat("leaving", List.of()).assignments().get(0);
        Event.Report givenBack = new Event.Report(a.attemptId(), a.jobId(), a.task(), Event.Outcome.CANCELLED, null,
                "agent shut down; given back");

        // The reporter delivers the give-back; the long poll, sent before the acknowledgement came, still names it.
        heartbeat("leaving", List.of(givenBack), List.of(), true);
        HeartbeatAnswer stale = heartbeat("leaving", List.of(), List.of(named(a)), true);

        assertThat(stale.cancelAttempts()).as("it ended: nothing to cancel").isEmpty();
        assertThat(h.job(id).tasks().get(0).state()).as("not attached to the agent that gave it back").isEqualTo(TaskState.PENDING);
        h.register("staying", 1);
        assertThat(h.heartbeat("staying", List.of()).assignments()).singleElement().extracting(Assignment::task).isEqualTo(a.task());
    }
}
