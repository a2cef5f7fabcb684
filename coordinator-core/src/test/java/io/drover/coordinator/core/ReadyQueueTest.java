package io.drover.coordinator.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ready count and the runnable set follow every move into and out of a job's queue. */
class ReadyQueueTest {
    private final ReadyQueue ready = new ReadyQueue();
    private final AgentRecord agent = new AgentRecord("a1", "h", 4, Map.of(), 0);
    private final Job job = new Job(CoreHarness.job("k", 3, false, 3).withJobId("j1", 0), 1);

    private void queueAll() {
        for (int i = 0; i < job.taskCount(); i++) {
            ready.add(job, job.task(i));
        }
    }

    @Test
    void placementPollsAndAdoptionTakesAndTheJobLeavesWhenNothingIsReady() {
        queueAll();
        assertThat(ready.size()).isEqualTo(3);
        assertThat(ready.pick(agent, new Quotas(Map.of()))).isSameAs(job);

        ready.takeToRunning(job, job.task(1)); // adopted: it was queued
        assertThat(ready.size()).isEqualTo(2);
        assertThat(ready.poll(job).index).isZero();
        assertThat(ready.poll(job).index).as("the adopted task's stale entry is skipped").isEqualTo(2);

        assertThat(ready.isEmpty()).isTrue();
        assertThat(ready.pick(agent, new Quotas(Map.of()))).isNull();
    }

    @Test
    void anEndedJobTakesItsReadyTasksAlong() {
        queueAll();
        ready.drop(job);
        assertThat(ready.isEmpty()).isTrue();
        assertThat(ready.pick(agent, new Quotas(Map.of()))).isNull();
    }

    @Test
    void aBackoffQueuesItsTaskWhenOverUnlessTheTaskMovedOn() {
        Task retried = job.task(0);
        Task committed = job.task(1);
        for (Task t : new Task[] {retried, committed}) {
            job.move(t, TaskState.RUNNING);
            t.attemptId = 7;
            job.move(t, TaskState.BACKOFF);
            ready.retryAt(100, job, t, 7);
        }
        job.move(committed, TaskState.SUCCEEDED); // a late result came first

        ready.endBackoffs(99);
        assertThat(ready.isEmpty()).isTrue();
        ready.endBackoffs(100);
        assertThat(ready.size()).isEqualTo(1);
        assertThat(ready.poll(job)).isSameAs(retried);
    }
}
