package io.drover.coordinator.core;

import static io.drover.coordinator.core.CoreHarness.failed;
import static io.drover.coordinator.core.CoreHarness.job;
import static io.drover.coordinator.core.CoreHarness.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.Response.Assignment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attempt counts are durable: a task's retry budget and backoff do not start over at a failover
 * (a poison task is not retried forever across leaders), and status shows how often a task ran
 * under earlier leaders. They ride on the commit and failure facts, and a failed attempt that will
 * be retried writes one small fact.
 */
class DurableAttemptsTest {
    private final CoreHarness h = new CoreHarness(CoreHarness.config());

    private void takeOver(long epoch, List<Fact> facts) {
        Effects out = new Effects();
        h.core = new Scheduler(CoreHarness.config(), epoch, FactReplay.replayState(facts), h.now, out);
        h.facts.addAll(out.facts());
    }

    private Assignment next(String agent) {
        return h.heartbeat(agent, List.of()).assignments().get(0);
    }

    private Response.TaskSnapshot task(String id) {
        return h.job(id).tasks().get(0);
    }

    @Test
    void aTaskCommittedUnderAnEarlierLeaderShowsHowOftenItRan() {
        String id = h.submit(job("k", 1, false, 3));
        h.register("a1", 1);
        h.heartbeat("a1", List.of(failed(next("a1"), "boom")));
        h.tick(200);
        h.heartbeat("a1", List.of(ok(next("a1"), new byte[] {1})));

        takeOver(2, h.facts);

        assertThat(task(id).state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(task(id).attempts()).as("shard 0: 2 ran").isEqualTo(2);
    }

    @Test
    void aPoisonTaskKeepsItsBudgetAndBackoffAcrossAFailover() {
        String id = h.submit(job("k", 1, false, 2));
        h.register("a1", 1);
        Assignment first = next("a1");
        h.heartbeat("a1", List.of(failed(first, "poison")));

        h.now += 10;
        takeOver(2, h.facts);

        assertThat(task(id).attempts()).isEqualTo(1);
        assertThat(h.heartbeat("a1", List.of()).assignments()).as("still backing off (100 ms)").isEmpty();
        h.tick(100);
        Assignment second = next("a1");
        h.heartbeat("a1", List.of(failed(second, "poison")));

        assertThat(h.job(id).state()).as("2 of 2 attempts used").isEqualTo(JobState.FAILED);
        assertThat(task(id).attempts()).isEqualTo(2);
        assertThat(h.facts).filteredOn(f -> f instanceof Fact.TaskFailed).singleElement()
                .extracting(f -> ((Fact.TaskFailed) f).attempts()).isEqualTo(2);
    }

    @Test
    void countsSurviveCompactionAndARedeliveredFailureIsNotCountedTwice() {
        String id = h.submit(job("k", 1, false, 3));
        h.register("a1", 1);
        Assignment first = next("a1");
        h.heartbeat("a1", List.of(failed(first, "flaky")));

        takeOver(2, h.core.durableSnapshot());
        // The acknowledgement never reached the agent: it names the attempt as its own and sends the failure again.
        h.apply(new Event.Heartbeat(h.nextRequest++, h.now, "a1", List.of(),
                List.of(new Event.RunningAttempt(first.attemptId(), first.jobId(), first.task())), false, 0));
        h.heartbeat("a1", List.of(failed(first, "flaky")));

        assertThat(task(id).attempts()).isEqualTo(1);
        assertThat(task(id).state()).isEqualTo(TaskState.BACKOFF);
        h.tick(1_000);
        Assignment second = next("a1");
        h.heartbeat("a1", List.of(ok(second, new byte[] {2})));
        takeOver(3, h.core.durableSnapshot());
        assertThat(task(id).attempts()).isEqualTo(2);
    }

    @Test
    void anAttemptRunningWhileTheNewLeaderThinksTheTaskBacksOffIsAdopted() {
        String id = h.submit(job("k", 1, false, 3));
        h.register("a1", 1);
        h.heartbeat("a1", List.of(failed(next("a1"), "flaky")));
        h.tick(100);
        Assignment second = next("a1");
        // The new leader's clock is behind the old one's: by its clock the backoff is not over.
        h.now -= 50;
        takeOver(2, h.facts);

        h.apply(new Event.Heartbeat(h.nextRequest++, h.now, "a1", List.of(),
                List.of(new Event.RunningAttempt(second.attemptId(), second.jobId(), second.task())), false, 0));

        assertThat(task(id).state()).isEqualTo(TaskState.RUNNING);
        assertThat(task(id).attempts()).isEqualTo(2);
        h.tick(1_000);
        assertThat(h.heartbeat("a1", List.of(ok(second, new byte[] {1}))).cancelAttempts()).isEmpty();
        assertThat(h.committedCount(id, 0)).isEqualTo(1);
        assertThat(h.job(id).state()).isEqualTo(JobState.SUCCEEDED);
    }
}
