package io.drover.coordinator.core;

import static io.drover.coordinator.core.CoreHarness.failed;
import static io.drover.coordinator.core.CoreHarness.job;
import static io.drover.coordinator.core.CoreHarness.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.Response.Assignment;
import io.drover.coordinator.core.Response.HeartbeatAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Straggler backups: when one starts (and when not), first result wins, the loser is cancelled. */
class BackupsTest {
    private final CoreHarness h = new CoreHarness(CoreHarness.config());

    /** Six shards on a1 (six slots); five finish after 100 ms, shard 5 straggles. a2 (two slots) is idle. */
    private Assignment straggle(String jobId) {
        h.register("a1", 6);
        List<Assignment> first = h.heartbeat("a1", List.of()).assignments();
        assertThat(first).hasSize(6);
        h.now += 100;
        List<Event.Report> done = new ArrayList<>();
        for (Assignment a : first.subList(0, 5)) {
            done.add(ok(a, new byte[] {1}));
        }
        h.heartbeat("a1", done);
        h.register("a2", 2);
        assertThat(h.job(jobId).succeeded()).isEqualTo(5);
        return first.get(5);
    }

    @Test
    void aTaskRunningPastTheThresholdGetsOneBackupOnAnotherIdleAgent() {
        String id = h.submit(job("k", 6, false, 3));
        Assignment slow = straggle(id);
        h.now += 500; // 600 ms: 3 x the median is past, the 1 s floor is not
        assertThat(h.heartbeat("a2", List.of()).assignments()).as("under the floor").isEmpty();
        h.now += 600;
        assertThat(h.heartbeat("a1", List.of()).assignments()).as("never on the straggler's own agent").isEmpty();
        List<Assignment> backup = h.heartbeat("a2", List.of()).assignments();
        assertThat(backup).hasSize(1);
        assertThat(backup.get(0).task()).isEqualTo(slow.task());
        assertThat(backup.get(0).attemptId()).isNotEqualTo(slow.attemptId());
        h.now += 5_000;
        assertThat(h.heartbeat("a2", List.of()).assignments()).as("at most one backup per task").isEmpty();
        Response.JobSnapshot snap = h.job(id);
        assertThat(snap.backupsStarted()).isEqualTo(1);
        assertThat(snap.running()).isEqualTo(1);
        assertThat(snap.tasks().get(5).backups()).isEqualTo(1);
    }

    @Test
    void aTaskWaitingInItsAgentsQueueIsNoStragglerAndCountsFromWhenItStarted() {
        String id = h.submit(job("k", 6, false, 3));
        Assignment slow = straggle(id);
        Event.RunningAttempt queued = new Event.RunningAttempt(slow.attemptId(), id, slow.task(), true);
        Event.RunningAttempt started = new Event.RunningAttempt(slow.attemptId(), id, slow.task(), false);
        h.heartbeat("a1", List.of(), List.of(queued));
        h.now += 5_000;
        assertThat(h.heartbeat("a2", List.of()).assignments()).as("queued on a1 (queue-ahead): not running yet").isEmpty();
        h.heartbeat("a1", List.of(), List.of(started));
        h.now += 500;
        assertThat(h.heartbeat("a2", List.of()).assignments()).as("counts from when a1 said it started").isEmpty();
        h.now += 600;
        List<Assignment> backup = h.heartbeat("a2", List.of()).assignments();
        assertThat(backup).singleElement().satisfies(b -> assertThat(b.task()).isEqualTo(slow.task()));
        h.now += 100;
        h.heartbeat("a2", List.of(ok(backup.get(0), new byte[] {2})));
        assertThat(h.job(id).backupsWon()).isEqualTo(1);
    }

    @Test
    void anAgentThatSaysNothingOfQueueingCountsFromTheAssignment() {
        String id = h.submit(job("k", 6, false, 3));
        Assignment slow = straggle(id);
        h.heartbeat("a1", List.of(), List.of(new Event.RunningAttempt(slow.attemptId(), id, slow.task())));
        h.now += 1_100;
        assertThat(h.heartbeat("a2", List.of()).assignments()).as("as before queue-ahead was reported").hasSize(1);
    }

    @Test
    void theBackupWinsTheOriginalIsCancelledAndItsLateResultDropped() {
        String id = h.submit(job("k", 6, false, 3));
        Assignment slow = straggle(id);
        h.now += 1_500;
        Assignment backup = h.heartbeat("a2", List.of()).assignments().get(0);
        h.now += 100;
        h.heartbeat("a2", List.of(ok(backup, new byte[] {2})));
        assertThat(h.committedCount(id, 5)).isEqualTo(1);
        HeartbeatAnswer a1 = h.heartbeat("a1", List.of());
        assertThat(a1.cancelAttempts()).containsExactly(slow.attemptId());
        h.heartbeat("a1", List.of(ok(slow, new byte[] {3}))); // it finished before hearing the cancel
        assertThat(h.committedCount(id, 5)).as("committed once").isEqualTo(1);
        Response.JobSnapshot snap = h.job(id);
        assertThat(snap.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(snap.shardResults().get(5)).containsExactly(2);
        assertThat(snap.backupsWon()).isEqualTo(1);
        assertThat(snap.tasks().get(5).backupWon()).isTrue();
    }

    @Test
    void theOriginalWinsAndTheBackupIsCancelled() {
        String id = h.submit(job("k", 6, false, 3));
        Assignment slow = straggle(id);
        h.now += 1_500;
        Assignment backup = h.heartbeat("a2", List.of()).assignments().get(0);
        h.heartbeat("a1", List.of(ok(slow, new byte[] {3})));
        assertThat(h.heartbeat("a2", List.of()).cancelAttempts()).containsExactly(backup.attemptId());
        h.heartbeat("a2", List.of(ok(backup, new byte[] {2})));
        assertThat(h.committedCount(id, 5)).isEqualTo(1);
        Response.JobSnapshot snap = h.job(id);
        assertThat(snap.shardResults().get(5)).containsExactly(3);
        assertThat(snap.backupsStarted()).isEqualTo(1);
        assertThat(snap.backupsWon()).isZero();
    }

    @Test
    void processJobsGetNoBackupsUnlessTheyAskAndJvmJobsCanOptOut() {
        JobDefinition process = new JobDefinition("pending", "p", "alice", "kp", "PROCESS", null, 0, null,
                List.of("true"), 6, List.of(), List.of(), 1, 3, 0, false, 0, Map.of(), 0, 0);
        assertThat(process.backups()).isFalse();
        assertThat(job("k", 6, false, 3).backups()).isTrue();
        for (JobDefinition def : List.of(process, job("k2", 6, false, 3).withBackups(false))) {
            CoreHarness other = new CoreHarness(CoreHarness.config());
            String id = other.submit(def);
            other.register("a1", 6);
            List<Assignment> first = other.heartbeat("a1", List.of()).assignments();
            other.now += 100;
            List<Event.Report> done = new ArrayList<>();
            first.subList(0, 5).forEach(a -> done.add(ok(a, new byte[0])));
            other.heartbeat("a1", done);
            other.register("a2", 2);
            other.now += 10_000;
            assertThat(other.heartbeat("a2", List.of()).assignments()).as(def.kind()).isEmpty();
            assertThat(other.job(id).backupsStarted()).isZero();
        }
        CoreHarness asked = new CoreHarness(CoreHarness.config());
        asked.submit(process.withBackups(true));
        asked.register("a1", 6);
        List<Assignment> first = asked.heartbeat("a1", List.of()).assignments();
        asked.now += 100;
        List<Event.Report> done = new ArrayList<>();
        first.subList(0, 5).forEach(a -> done.add(ok(a, new byte[0])));
        asked.heartbeat("a1", done);
        asked.register("a2", 2);
        asked.now += 10_000;
        assertThat(asked.heartbeat("a2", List.of()).assignments()).hasSize(1);
    }

    @Test
    void noBackupUntilEnoughTasksFinishedOrWhileAReadyTaskCouldUseTheSlot() {
        String id = h.submit(job("k", 6, false, 3));
        h.register("a1", 6);
        List<Assignment> first = h.heartbeat("a1", List.of()).assignments();
        h.now += 100;
        h.heartbeat("a1", List.of(ok(first.get(0), new byte[0]), ok(first.get(1), new byte[0]),
                ok(first.get(2), new byte[0]), ok(first.get(3), new byte[0])));
        h.register("a2", 1);
        h.now += 10_000;
        assertThat(h.heartbeat("a2", List.of()).assignments()).as("4 finished, 5 needed for a median").isEmpty();
        h.heartbeat("a1", List.of(ok(first.get(4), new byte[0])));
        String other = h.submit(job("other", 1, false, 3));
        List<Assignment> given = h.heartbeat("a2", List.of()).assignments();
        assertThat(given).as("a first attempt before any backup").hasSize(1);
        assertThat(given.get(0).jobId()).isEqualTo(other);
        assertThat(h.job(id).backupsStarted()).isZero();
    }

    @Test
    void aParkedIdleAgentIsHandedTheBackupOnTheClock() {
        String id = h.submit(job("k", 6, false, 3));
        Assignment slow = straggle(id);
        long poll = h.poll("a2", 30_000);
        h.tick(500);
        assertThat(h.answerFor(poll)).as("not a straggler yet").isNull();
        h.tick(1_000);
        HeartbeatAnswer answer = h.answerFor(poll);
        assertThat(answer).isNotNull();
        assertThat(answer.assignments()).extracting(Assignment::task).containsExactly(slow.task());
    }

    @Test
    void whenTheOriginalFailsOrItsAgentIsLostTheBackupCarriesOn() {
        String id = h.submit(job("k", 6, false, 3));
        Assignment slow = straggle(id);
        h.now += 1_500;
        Assignment backup = h.heartbeat("a2", List.of()).assignments().get(0);
        h.heartbeat("a1", List.of(failed(slow, "boom")));
        Response.JobSnapshot snap = h.job(id);
        assertThat(snap.running()).isEqualTo(1);
        assertThat(snap.pending()).as("not run again: the backup runs").isZero();
        assertThat(snap.tasks().get(5).agentId()).isEqualTo("a2");
        assertThat(snap.tasks().get(5).attempts()).isEqualTo(2);
        h.heartbeat("a2", List.of(ok(backup, new byte[] {7})));
        assertThat(h.job(id).state()).isEqualTo(JobState.SUCCEEDED);

        CoreHarness lost = new CoreHarness(CoreHarness.config());
        String id2 = lost.submit(job("k", 6, false, 3));
        lost.register("a1", 6);
        List<Assignment> first = lost.heartbeat("a1", List.of()).assignments();
        lost.now += 100;
        List<Event.Report> done = new ArrayList<>();
        first.subList(0, 5).forEach(a -> done.add(ok(a, new byte[0])));
        lost.heartbeat("a1", done);
        lost.register("a2", 2);
        lost.now += 1_500;
        assertThat(lost.heartbeat("a2", List.of()).assignments()).hasSize(1);
        for (int i = 0; i < 12; i++) { // a1 falls silent; a2 keeps heartbeating
            lost.now += 1_000;
            lost.heartbeat("a2", List.of());
            lost.apply(new Event.Tick(lost.now));
        }
        Response.JobSnapshot after = lost.job(id2);
        assertThat(after.running()).isEqualTo(1);
        assertThat(after.pending()).isZero();
        assertThat(after.tasks().get(5).agentId()).isEqualTo("a2");
    }

    @Test
    void aNewLeaderKeepsARereportedSecondAttemptAsTheBackupAndTheFirstResultStillCommitsOnce() {
        String id = h.submit(job("k", 6, false, 3));
        Assignment slow = straggle(id);
        h.now += 1_500;
        Assignment backup = h.heartbeat("a2", List.of()).assignments().get(0);
        Effects out = new Effects(); // the leader dies; a new one takes over from the durable facts
        h.core = new Scheduler(CoreHarness.config(), 2, FactReplay.replayState(h.facts), h.now, out);
        h.facts.addAll(out.facts());
        h.now += 100;
        h.apply(new Event.Heartbeat(h.nextRequest++, h.now, "a1", List.of(),
                List.of(new Event.RunningAttempt(slow.attemptId(), slow.jobId(), slow.task())), false, 0));
        HeartbeatAnswer a2 = (HeartbeatAnswer) h.apply(new Event.Heartbeat(h.nextRequest++, h.now, "a2", List.of(),
                List.of(new Event.RunningAttempt(backup.attemptId(), backup.jobId(), backup.task())), false, 0));
        assertThat(a2.cancelAttempts()).as("adopted as the backup, not cancelled").isEmpty();
        assertThat(h.job(id).backupsStarted()).isEqualTo(1);
        h.heartbeat("a2", List.of(ok(backup, new byte[] {9})));
        assertThat(h.heartbeat("a1", List.of()).cancelAttempts()).containsExactly(slow.attemptId());
        h.heartbeat("a1", List.of(ok(slow, new byte[] {8})));
        assertThat(h.committedCount(id, slow.task())).isEqualTo(1);
        assertThat(h.job(id).state()).isEqualTo(JobState.SUCCEEDED);
    }
}
