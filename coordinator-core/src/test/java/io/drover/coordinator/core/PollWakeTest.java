package io.drover.coordinator.core;

import static io.drover.coordinator.core.CoreHarness.failed;
import static io.drover.coordinator.core.CoreHarness.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.Response.Assignment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A parked poll is looked at only when its agent changed or the ready queue gained tasks (not
 * every parked poll after every event): each way work or a cancel can reach a parked poll still does.
 */
class PollWakeTest {
    private final CoreHarness h = new CoreHarness(CoreHarness.config());

    @Test
    void undrainingAnAgentAnswersItsParkedPollWithWorkAlreadyWaiting() {
        h.register("a1", 2);
        h.apply(new Event.DrainAgent(900_005, h.now, "a1", true));
        h.submit(job("k", 2, false, 1));
        long poll = h.poll("a1", 60_000);
        assertThat(h.answerFor(poll)).as("drained: parked").isNull();
        h.apply(new Event.DrainAgent(900_006, h.now, "a1", false));
        assertThat(h.answerFor(poll).assignments()).hasSize(2);
    }

    @Test
    void aCancelReachesTheParkedPollOfABusyAgent() {
        String id = h.submit(job("k", 2, false, 1));
        h.register("a1", 2);
        List<Assignment> running = h.heartbeat("a1", List.of()).assignments();
        assertThat(running).hasSize(2);
        long poll = h.poll("a1", 60_000);
        assertThat(h.answerFor(poll)).as("no free slot: parked").isNull();
        h.apply(new Event.CancelJob(900_077, h.now, id));
        assertThat(h.answerFor(poll).cancelAttempts()).containsExactlyInAnyOrderElementsOf(
                running.stream().map(Assignment::attemptId).toList());
    }

    @Test
    void aRetriedTaskGoesToAnotherAgentsParkedPoll() {
        h.submit(job("k", 1, false, 3));
        h.register("a1", 1);
        Assignment first = h.heartbeat("a1", List.of()).assignments().get(0);
        h.register("a2", 1);
        long poll = h.poll("a2", 60_000);
        assertThat(h.answerFor(poll)).as("nothing ready: parked").isNull();
        h.apply(new Event.DrainAgent(900_005, h.now, "a1", true)); // its report takes no new work
        h.heartbeat("a1", List.of(failed(first, "boom")));
        for (int i = 0; i < 100 && h.answerFor(poll) == null; i++) {
            h.tick(100); // through the retry backoff, if any
        }
        assertThat(h.answerFor(poll).assignments()).singleElement().extracting(Assignment::task).isEqualTo(first.task());
    }

    @Test
    void pollsParkedBeforeTheSubmitAllGetWorkAndEachTaskGoesOnce() {
        for (int i = 0; i < 50; i++) {
            h.register("a" + i, 1);
        }
        long[] polls = new long[50];
        for (int i = 0; i < 50; i++) {
            polls[i] = h.poll("a" + i, 60_000);
        }
        h.submit(job("k", 30, false, 1));
        long answered = 0;
        java.util.Set<Integer> tasks = new java.util.HashSet<>();
        for (long p : polls) {
            Response.HeartbeatAnswer a = h.answerFor(p);
            if (a != null && !a.assignments().isEmpty()) {
                answered++;
                a.assignments().forEach(x -> assertThat(tasks.add(x.task())).as("task " + x.task() + " once").isTrue());
            }
        }
        assertThat(answered).isEqualTo(30);
        assertThat(tasks).hasSize(30);
    }

    @Test
    void pollDeadlinesAnswerExactlyThePollsWhoseWaitRanOutInDeadlineOrder() {
        h.register("a1", 1);
        h.register("a2", 1);
        h.register("a3", 1);
        assertThat(h.core.nextPollDeadlineMs()).as("none parked").isEqualTo(Long.MAX_VALUE);
        long p1 = h.poll("a1", 3_000);
        long p2 = h.poll("a2", 1_000);
        long p3 = h.poll("a3", 2_000);
        assertThat(h.core.nextPollDeadlineMs()).isEqualTo(h.now + 1_000);
        long p2Again = h.poll("a2", 5_000); // supersedes p2: answered now, its old deadline no longer counts
        assertThat(h.answerFor(p2).assignments()).isEmpty();
        assertThat(h.core.nextPollDeadlineMs()).isEqualTo(h.now + 2_000);
        h.now += 1_999;
        h.apply(new Event.PollDeadline(h.now));
        assertThat(h.answerFor(p3)).as("one ms early").isNull();
        h.now += 1;
        h.apply(new Event.PollDeadline(h.now));
        assertThat(h.answerFor(p3).assignments()).isEmpty();
        assertThat(h.answerFor(p1)).isNull();
        assertThat(h.core.nextPollDeadlineMs()).isEqualTo(h.now + 1_000);
        h.now += 10_000;
        h.apply(new Event.PollDeadline(h.now));
        assertThat(h.answerFor(p1)).isNotNull();
        assertThat(h.answerFor(p2Again)).isNotNull();
        assertThat(h.core.nextPollDeadlineMs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void manySupersededPollsDoNotHideTheCurrentDeadline() {
        h.register("a1", 1);
        for (int i = 0; i < 10_000; i++) {
            h.poll("a1", 60_000); // each supersedes the last (past 1,024 stale deadlines the queue is rebuilt)
        }
        long last = h.poll("a1", 60_000);
        assertThat(h.core.nextPollDeadlineMs()).isEqualTo(h.now + 60_000);
        h.tick(60_000);
        assertThat(h.answerFor(last)).isNotNull();
        assertThat(h.core.nextPollDeadlineMs()).isEqualTo(Long.MAX_VALUE);
    }
}
