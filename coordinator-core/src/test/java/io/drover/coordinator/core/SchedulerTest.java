package io.drover.coordinator.core;

import static io.drover.coordinator.core.CoreHarness.failed;
import static io.drover.coordinator.core.CoreHarness.job;
import static io.drover.coordinator.core.CoreHarness.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.coordinator.core.Response.Assignment;
import io.drover.coordinator.core.Response.HeartbeatAnswer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private final CoreHarness h = new CoreHarness(CoreHarness.config());

    @Test
    void submitPersistsTheJobBeforeReplyingAndIsIdempotentByKey() {
        String id = h.submit(job("k1", 4, false, 3));
        assertThat(h.facts).hasSize(1).first().isInstanceOf(Fact.JobAccepted.class);
        Response again = h.apply(new Event.SubmitJob(99, h.now, job("k1", 4, false, 3)));
        assertThat(again).isEqualTo(new Response.Submitted(id, true));
        assertThat(h.facts).hasSize(1);
    }

    @Test
    void aKeyReusedWithADifferentSpecIsRejectedEvenAfterTheJobWasEvicted() {
        String id = h.submit(job("k1", 4, false, 3));
        h.now += 1_000; // a retry later: the submit time is not part of the spec

        assertThat(h.apply(new Event.SubmitJob(98, h.now, job("k1", 4, false, 3))))
                .isEqualTo(new Response.Submitted(id, true));
        Response other = h.apply(new Event.SubmitJob(99, h.now, job("k1", 5, false, 3)));
        assertThat(other).isInstanceOf(Response.Rejected.class);
        assertThat(((Response.Rejected) other).message()).contains("'k1'").contains(id).contains("different spec");
        assertThat(h.facts).hasSize(1);

        CoreHarness small = new CoreHarness(new SchedulerConfig(3_000, 10_000, 0, 100, 1_000, 1, 1_000));
        String first = small.submit(job("k2", 1, false, 1));
        small.apply(new Event.CancelJob(small.nextRequest++, small.now, first));
        small.apply(new Event.CancelJob(small.nextRequest++, small.now, small.submit(job("k3", 1, false, 1))));
        small.submit(job("k4", 1, false, 1)); // evicts the first job (one ended job is kept); its key stays known
        assertThat(small.apply(new Event.Query(small.nextRequest++, small.now, Event.QueryKind.JOB, first, false, false, 0)))
                .as("evicted").isInstanceOf(Response.Rejected.class);
        assertThat(small.apply(new Event.SubmitJob(97, small.now, job("k2", 1, false, 1))))
                .isEqualTo(new Response.Submitted(first, true));
        assertThat(small.apply(new Event.SubmitJob(96, small.now, job("k2", 2, false, 1))))
                .isInstanceOf(Response.Rejected.class);
    }

    @Test
    void finishedJobsAreForgottenOnceTheyHoldMoreTasksThanRetainedButTheNewestStays() {
        CoreHarness small = new CoreHarness(CoreHarness.config().withRetention(100, 10));
        String first = small.submit(job("r1", 6, false, 1));
        small.apply(new Event.CancelJob(small.nextRequest++, small.now, first));
        String second = small.submit(job("r2", 6, false, 1));
        small.apply(new Event.CancelJob(small.nextRequest++, small.now, second));
        String third = small.submit(job("r3", 40, false, 1)); // 12 finished tasks > 10: the oldest goes
        assertThat(small.apply(new Event.Query(small.nextRequest++, small.now, Event.QueryKind.JOB, first, false, false, 0)))
                .as("forgotten").isInstanceOf(Response.Rejected.class);
        assertThat(small.job(second).state()).isEqualTo(JobState.CANCELLED);

        small.apply(new Event.CancelJob(small.nextRequest++, small.now, third));
        small.submit(job("r4", 1, false, 1)); // 46 finished tasks: only the newest finished job is left
        assertThat(small.apply(new Event.Query(small.nextRequest++, small.now, Event.QueryKind.JOB, second, false, false, 0)))
                .as("forgotten").isInstanceOf(Response.Rejected.class);
        assertThat(small.job(third).state()).as("the newest finished job stays whatever its size")
                .isEqualTo(JobState.CANCELLED);
    }

    @Test
    void placesOntoFreeSlotsOnlyAndCompletesTheJob() {
        String id = h.submit(job("k", 5, false, 3));
        h.register("a1", 2);
        HeartbeatAnswer first = h.heartbeat("a1", List.of());
        assertThat(first.assignments()).hasSize(2);
        assertThat(h.heartbeat("a1", List.of()).assignments()).as("slots are full").isEmpty();
        List<Assignment> todo = new ArrayList<>(first.assignments());
        int rounds = 0;
        while (!todo.isEmpty() && rounds++ < 10) {
            List<Event.Report> reports = new ArrayList<>();
            todo.forEach(a -> reports.add(ok(a, new byte[] {(byte) a.task()})));
            HeartbeatAnswer next = h.heartbeat("a1", reports);
            assertThat(next.ackedAttempts()).hasSize(reports.size());
            todo = new ArrayList<>(next.assignments());
        }
        Response.JobSnapshot snap = h.job(id);
        assertThat(snap.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(snap.succeeded()).isEqualTo(5);
        assertThat(snap.shardResults()).hasSize(5);
        assertThat(h.facts).filteredOn(f -> f instanceof Fact.JobEnded).hasSize(1);
    }

    @Test
    void reduceRunsAfterAllShardsWithTheirResultsInOrder() {
        String id = h.submit(job("k", 3, true, 3));
        h.register("a1", 8);
        List<Assignment> shards = h.heartbeat("a1", List.of()).assignments();
        assertThat(shards).hasSize(3).noneMatch(Assignment::reduceTask);
        List<Event.Report> reports = new ArrayList<>();
        for (Assignment a : shards) {
            reports.add(ok(a, ByteBuffer.allocate(8).putLong(a.task() * 10L).array()));
        }
        List<Assignment> reduce = h.heartbeat("a1", reports).assignments();
        assertThat(reduce).singleElement().satisfies(a -> {
            assertThat(a.reduceTask()).isTrue();
            assertThat(a.task()).isEqualTo(3);
            assertThat(a.reduceInputs()).extracting(b -> ByteBuffer.wrap(b).getLong()).containsExactly(0L, 10L, 20L);
        });
        assertThat(h.job(id).state()).isEqualTo(JobState.REDUCING);
        h.heartbeat("a1", List.of(ok(reduce.get(0), new byte[] {42})));
        Response.JobSnapshot done = h.job(id);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.result()).containsExactly(42);
    }

    @Test
    void failedTaskIsRetriedWithBackoffThenFailsTheJob() {
        String id = h.submit(job("k", 1, false, 2));
        h.register("a1", 1);
        Assignment a = h.heartbeat("a1", List.of()).assignments().get(0);
        assertThat(h.heartbeat("a1", List.of(failed(a, "boom"))).assignments()).as("in backoff").isEmpty();
        h.tick(100);
        Assignment retry = h.heartbeat("a1", List.of()).assignments().get(0);
        assertThat(retry.attemptId()).isNotEqualTo(a.attemptId());
        h.heartbeat("a1", List.of(failed(retry, "boom again")));
        Response.JobSnapshot snap = h.job(id);
        assertThat(snap.state()).isEqualTo(JobState.FAILED);
        assertThat(snap.error()).contains("task 0 failed after 2 attempts", "boom again");
    }

    @Test
    void aFinishedTaskShowsTheAgentThatRanItsLastAttempt() {
        String id = h.submit(job("k", 2, false, 2));
        h.register("a1", 1);
        Assignment first = h.heartbeat("a1", List.of()).assignments().get(0);
        h.heartbeat("a1", List.of(failed(first, "boom")));
        h.register("a2", 1);
        h.tick(100);
        Assignment onA2 = h.heartbeat("a2", List.of()).assignments().get(0);
        assertThat(h.job(id).tasks().get(onA2.task()).agentId()).as("running").isEqualTo("a2");
        h.heartbeat("a2", List.of(ok(onA2, new byte[] {1})));

        Response.TaskSnapshot done = h.job(id).tasks().get(onA2.task());
        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.agentId()).as("the agent of the last attempt, after it ended").isEqualTo("a2");
    }

    @Test
    void aJobFailedOnItsOnlyAttemptSaysAttemptInTheSingular() {
        String id = h.submit(job("k", 1, false, 1));
        h.register("a1", 1);
        Assignment a = h.heartbeat("a1", List.of()).assignments().get(0);
        h.heartbeat("a1", List.of(failed(a, "boom")));
        assertThat(h.job(id).error()).startsWith("task 0 failed after 1 attempt: ").endsWith("boom");
    }

    @Test
    void duplicateAndLateReportsAreAcknowledgedButNeverCommittedTwice() {
        String id = h.submit(job("k", 1, false, 3));
        h.register("a1", 1);
        h.register("a2", 1);
        Assignment a = h.heartbeat("a1", List.of()).assignments().get(0);
        h.now += 20_000;
        h.tick(0); // a1 is lost: its attempt is re-queued
        h.heartbeat("a2", List.of());
        Assignment b = h.heartbeat("a2", List.of()).assignments().isEmpty()
                ? null : h.heartbeat("a2", List.of()).assignments().get(0);
        HeartbeatAnswer late = h.heartbeat("a1", List.of(ok(a, new byte[] {1})));
        assertThat(late.ackedAttempts()).containsExactly(a.attemptId());
        assertThat(h.heartbeat("a1", List.of(ok(a, new byte[] {1}))).ackedAttempts()).containsExactly(a.attemptId());
        if (b != null) {
            h.heartbeat("a2", List.of(ok(b, new byte[] {2})));
        }
        assertThat(h.committedCount(id, 0)).isEqualTo(1);
        assertThat(h.job(id).result()).containsExactly(1);
    }

    @Test
    void lostAgentsWorkMovesToAnotherAgentAndTheLoserIsCancelled() {
        String id = h.submit(job("k", 1, false, 3));
        h.register("a1", 1);
        Assignment a = h.heartbeat("a1", List.of()).assignments().get(0);
        h.register("a2", 1);
        h.now += 3_500;
        h.heartbeat("a2", List.of());
        h.tick(0);
        assertThat(h.job(id).tasks().get(0).agentId()).as("suspect keeps its work").isEqualTo("a1");
        h.now += 7_000;
        h.heartbeat("a2", List.of());
        h.tick(0);
        Assignment b = h.heartbeat("a2", List.of()).assignments().get(0);
        assertThat(b.task()).isEqualTo(a.task());
        h.heartbeat("a2", List.of(ok(b, new byte[] {7})));
        HeartbeatAnswer back = (HeartbeatAnswer) h.apply(new Event.Heartbeat(500, h.now, "a1", List.of(),
                List.of(new Event.RunningAttempt(a.attemptId(), a.jobId(), a.task())), false, 0));
        assertThat(back.cancelAttempts()).containsExactly(a.attemptId());
        assertThat(h.committedCount(id, 0)).isEqualTo(1);
    }

    @Test
    void aDroppedConnectionMovesWorkAfterTheGraceUnlessTheAgentComesBack() {
        h.submit(job("k", 2, false, 3));
        h.register("a1", 1);
        h.register("a2", 1);
        Assignment a = h.heartbeat("a1", List.of()).assignments().get(0);
        long poll = h.poll("a2", 60_000);
        Assignment onA2 = h.answerFor(poll).assignments().get(0);
        h.apply(new Event.AgentDisconnected(h.now, "a1", -1));
        h.tick(500);
        h.heartbeat("a1", List.of()); // it came back within the grace: nothing moves
        h.tick(1_000);
        assertThat(h.job(onA2.jobId()).tasks().get(a.task()).agentId()).isEqualTo("a1");

        h.apply(new Event.AgentDisconnected(h.now, "a1", -1));
        h.tick(1_000);
        List<Assignment> moved = h.heartbeat("a2", List.of(ok(onA2, new byte[] {1}))).assignments();
        assertThat(moved).singleElement().extracting(Assignment::task).isEqualTo(a.task());
    }

    @Test
    void parkedPollIsAnsweredWhenWorkArrivesOrWhenItExpires() {
        h.register("a1", 2);
        long poll = h.poll("a1", 5_000);
        assertThat(h.answerFor(poll)).isNull();
        h.submit(job("k", 1, false, 1));
        assertThat(h.answerFor(poll).assignments()).hasSize(1);
        long second = h.poll("a1", 5_000);
        h.tick(4_000);
        assertThat(h.answerFor(second)).isNull();
        h.tick(1_000);
        assertThat(h.answerFor(second).isEmpty()).isTrue();
        assertThat(h.answerFor(second).offlineStopAfterMs()).as("the default pool keeps running").isZero();
    }

    @Test
    void cancelStopsRunningAttemptsAndRecordsTheEnd() {
        String id = h.submit(job("k", 3, false, 1));
        h.register("a1", 3);
        List<Assignment> running = h.heartbeat("a1", List.of()).assignments();
        h.apply(new Event.CancelJob(77, h.now, id));
        assertThat(h.job(id).state()).isEqualTo(JobState.CANCELLED);
        assertThat(h.heartbeat("a1", List.of()).cancelAttempts()).hasSize(running.size());
    }

    @Test
    void unknownAgentIsAskedToRegisterAndDrainedAgentGetsNoWork() {
        assertThat(h.heartbeat("ghost", List.of()).reRegister()).isTrue();
        h.submit(job("k", 2, false, 1));
        h.register("a1", 2);
        h.apply(new Event.DrainAgent(5, h.now, "a1", true));
        assertThat(h.heartbeat("a1", List.of()).assignments()).isEmpty();
        h.apply(new Event.DrainAgent(6, h.now, "a1", false));
        assertThat(h.heartbeat("a1", List.of()).assignments()).hasSize(2);
    }

    @Test
    void aForgottenAgentsWorkRunsElsewhereAndItMustRegisterAgain() {
        h.submit(job("k", 1, false, 1));
        h.register("a1", 1);
        Assignment a = h.heartbeat("a1", List.of()).assignments().get(0);
        h.apply(new Event.ForgetAgent(40, h.now, "a1"));
        assertThat(h.heartbeat("a1", List.of()).reRegister()).isTrue();
        h.register("a2", 1);
        assertThat(h.heartbeat("a2", List.of()).assignments()).singleElement().extracting(Assignment::task).isEqualTo(a.task());
        assertThat(h.apply(new Event.ForgetAgent(41, h.now, "nobody"))).isInstanceOf(Response.Rejected.class);
    }

    @Test
    void aNewLeaderAssignsAsSoonAsEveryKnownAgentHasReportedNotAfterTheWholeWindow() {
        h.submit(job("k", 4, false, 1));
        h.register("a1", 2);
        h.register("a2", 2);
        Assignment running = h.heartbeat("a1", List.of()).assignments().get(0);
        SchedulerConfig slowWindow = new SchedulerConfig(3_000, 10_000, 60_000, 100, 1_000, 100, 1_000);
        Effects out = new Effects();
        h.core = new Scheduler(slowWindow, 2, FactReplay.replayState(h.facts), h.now, out);
        HeartbeatAnswer first = (HeartbeatAnswer) h.apply(new Event.Heartbeat(300, h.now, "a1", List.of(),
                List.of(new Event.RunningAttempt(running.attemptId(), running.jobId(), running.task())), false, 0));
        assertThat(first.assignments()).as("a2 has not re-reported yet").isEmpty();
        assertThat(first.reRegister()).as("a1 is known from the durable facts").isFalse();
        List<Assignment> a2 = h.heartbeat("a2", List.of()).assignments();
        assertThat(a2).as("window closed early: everyone reported").hasSize(2);
        assertThat(a2).noneMatch(a -> a.task() == running.task());
    }

    @Test
    void anEdgePoolKeepsItsWorkThroughALongSilenceWhileADataCenterAgentLosesIt() {
        SchedulerConfig config = CoreHarness.config().withPools(Map.of("edge", new DisconnectPolicy(3_600_000, 600_000)));
        CoreHarness e = new CoreHarness(config);
        String id = e.submit(job("k", 2, false, 3));
        e.apply(new Event.RegisterAgent(1_000, e.now, "edge-1", "h", 1, Map.of("pool", "edge")));
        e.register("dc-1", 1);
        Assignment onEdge = e.heartbeat("edge-1", List.of()).assignments().get(0);
        Assignment onDc = e.heartbeat("dc-1", List.of()).assignments().get(0);
        e.apply(new Event.AgentDisconnected(e.now, "edge-1", -1));
        e.apply(new Event.AgentDisconnected(e.now, "dc-1", -1));
        e.tick(20_000);
        List<Response.TaskSnapshot> tasks = e.job(id).tasks();
        assertThat(tasks.get(onEdge.task()).agentId()).as("edge work waits").isEqualTo("edge-1");
        assertThat(tasks.get(onDc.task()).state()).as("data-center work moves").isEqualTo(TaskState.PENDING);
        // The edge agent comes back with its result: committed once.
        e.heartbeat("edge-1", List.of(ok(onEdge, new byte[] {9})));
        assertThat(e.committedCount(id, onEdge.task())).isEqualTo(1);
    }

    @Test
    void anAgentsViewShowsTheReleaseItLastRegisteredWith() {
        CoreHarness e = new CoreHarness(CoreHarness.config());
        e.apply(new Event.RegisterAgent(e.nextRequest++, e.now, "a1", "h1", 2, Map.of(), "1.0"));
        assertThat(agentView(e, "a1").softwareVersion()).isEqualTo("1.0");

        // Restarted on a new release (a rolling upgrade): it registers again.
        e.apply(new Event.RegisterAgent(e.nextRequest++, e.now, "a1", "h1", 2, Map.of(), "1.1"));
        assertThat(agentView(e, "a1").softwareVersion()).isEqualTo("1.1");

        e.apply(new Event.RegisterAgent(e.nextRequest++, e.now, "a2", "h2", 2, Map.of()));
        assertThat(agentView(e, "a2").softwareVersion()).as("not told").isNull();
    }

    private static Response.AgentSnapshot agentView(CoreHarness e, String id) {
        Response.AgentList all = (Response.AgentList) e.apply(new Event.Query(e.nextRequest++, e.now, Event.QueryKind.AGENTS,
                null, false, false, 0));
        return all.agents().stream().filter(a -> a.agentId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void illegalTransitionsThrow() {
        assertThatThrownBy(() -> TaskState.SUCCEEDED.to(TaskState.RUNNING)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JobState.FAILED.to(JobState.RUNNING)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aHeartbeatThatStillListsAsRunningTheAttemptItGivesBackDoesNotTakeItAgain() {
        String id = h.submit(job("k", 1, false, 1));
        h.register("leaving", 1);
        Assignment a = h.heartbeat("leaving", List.of()).assignments().get(0);
        Event.Report givenBack = new Event.Report(a.attemptId(), a.jobId(), a.task(), Event.Outcome.CANCELLED, null,
                "agent shut down; given back");

        // The agent queued the report before dropping the attempt from its running set.
        h.apply(new Event.Heartbeat(h.nextRequest++, h.now, "leaving", List.of(givenBack),
                List.of(new Event.RunningAttempt(a.attemptId(), a.jobId(), a.task())), true, 0));

        Response.TaskSnapshot task = h.job(id).tasks().get(0);
        assertThat(task.state()).isEqualTo(TaskState.PENDING);
        assertThat(task.attempts()).as("the given-back attempt is not counted").isZero();
        h.register("staying", 1);
        Assignment next = h.heartbeat("staying", List.of()).assignments().get(0);
        assertThat(next.task()).isEqualTo(a.task());
    }
}
