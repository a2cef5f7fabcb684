package io.drover.coordinator.core;

import static io.drover.coordinator.core.CoreHarness.failed;
import static io.drover.coordinator.core.CoreHarness.job;
import static io.drover.coordinator.core.CoreHarness.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.coordinator.core.Response.Assignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A finished job's tasks kept compactly ({@link FinishedTasks}) read back as they were. */
class FinishedTasksTest {
    private static final ResultBlob BLOB = new ResultBlob("ab".repeat(32), 5_000_000);

    /** Tasks in every terminal state with every field a finished task keeps set somewhere. */
    private static Task[] variedTasks(int n) {
        Task[] tasks = new Task[n];
        for (int i = 0; i < n; i++) {
            Task t = new Task(i);
            t.state = switch (i % 5) {
                case 0, 1 -> TaskState.SUCCEEDED;
                case 2 -> TaskState.FAILED;
                default -> TaskState.CANCELLED;
            };
            t.attempts = i % 7;
            t.lastAttemptId = i % 11 == 0 ? 0 : (3L << 40) | (1_000 + i);
            t.attemptId = i % 13 == 0 ? (2L << 40) | i : t.lastAttemptId; // a stale attempt's result won
            t.reportedAttemptId = i % 17 == 0 ? 42 : t.lastAttemptId;
            t.lastAgentId = i % 11 == 0 ? null : "agent-" + (i % 300); // more than 255: two-byte indexes
            t.agentId = t.state == TaskState.CANCELLED && i % 2 == 0 ? t.lastAgentId : null;
            t.error = t.state == TaskState.FAILED || i % 19 == 0 ? "boom " + i : null;
            if (t.state == TaskState.SUCCEEDED) {
                t.value = i % 23 == 0 ? new byte[] {(byte) i, 7} : new byte[0];
                t.blob = i % 29 == 0 ? BLOB : null;
            }
            t.backups = i % 31 == 0 ? 1 : 0;
            t.backupWon = i % 62 == 0;
            tasks[i] = t;
        }
        return tasks;
    }

    private static void assertSameTask(Task kept, Task original) {
        assertThat(kept).usingRecursiveComparison()
                .comparingOnlyFields("index", "state", "attempts", "attemptId", "agentId", "lastAttemptId", "lastAgentId",
                        "reportedAttemptId", "error", "value", "blob", "backups", "backupWon")
                .as("task %d", original.index).isEqualTo(original);
    }

    @Test
    void everyFieldAFinishedTaskShowsReadsBack() {
        Task[] original = variedTasks(1_000);
        FinishedTasks kept = FinishedTasks.of(original);
        assertThat(kept.size()).isEqualTo(1_000);
        for (Task t : original) {
            int i = t.index;
            assertSameTask(kept.task(i), t);
            assertThat(kept.state(i)).isEqualTo(t.state);
            assertThat(kept.attempts(i)).isEqualTo(t.attempts);
            assertThat(kept.attemptId(i)).isEqualTo(t.attemptId);
            assertThat(kept.value(i)).isEqualTo(t.value);
            assertThat(kept.blob(i)).isEqualTo(t.blob);
            assertThat(kept.error(i)).isEqualTo(t.error);
        }
        Set<String> refs = new java.util.HashSet<>();
        kept.addBlobRefs(refs);
        assertThat(refs).containsExactly(BLOB.sha256());
    }

    @Test
    void emptyResultsAndNoAttemptsAtAllAreKeptWithoutPerTaskArrays() {
        Task[] noOps = new Task[3];
        for (int i = 0; i < noOps.length; i++) {
            noOps[i] = new Task(i);
            noOps[i].state = i == 2 ? TaskState.CANCELLED : TaskState.SUCCEEDED;
            noOps[i].value = i == 2 ? null : new byte[0];
            noOps[i].attempts = 1_000 + i; // wider than a byte or a char
        }
        noOps[1].attempts = 70_000;
        FinishedTasks kept = FinishedTasks.of(noOps);
        for (Task t : noOps) {
            assertSameTask(kept.task(t.index), t);
        }
        assertThat(kept.value(0)).as("one shared empty array").isSameAs(kept.value(1)).isEmpty();
        assertThat(kept.value(2)).as("never committed: no value").isNull();
    }

    @Test
    void aTaskThatHasNotEndedIsRefusedAndACopyIsDetached() {
        Task[] tasks = variedTasks(3);
        tasks[1].state = TaskState.RUNNING;
        assertThatThrownBy(() -> FinishedTasks.of(tasks)).isInstanceOf(IllegalStateException.class).hasMessageContaining("RUNNING");
        tasks[1].state = TaskState.SUCCEEDED;
        tasks[1].value = new byte[0];
        FinishedTasks kept = FinishedTasks.of(tasks);
        kept.task(1).attempts = 99;
        assertThat(kept.attempts(1)).isEqualTo(tasks[1].attempts);
        kept.noteReported(1, 77);
        assertThat(kept.reportedAttemptId(1)).isEqualTo(77);
        kept.noteReported(1, tasks[1].lastAttemptId);
        assertThat(kept.reportedAttemptId(1)).isEqualTo(tasks[1].lastAttemptId);
    }

    /** Views, task pages, locations, blob references and compaction facts of a finished job, before and after it is retired. */
    @Test
    void aJobReadsTheSameBeforeAndAfterItsTasksAreRetired() {
        for (JobState end : List.of(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)) {
            CoreHarness h = new CoreHarness(CoreHarness.config());
            h.register("a1", 4);
            Job job = new Job(job("k", 40, false, 3).withJobId("jx", 0), 1);
            Task[] varied = variedTasks(40);
            for (int i = 0; i < 40; i++) {
                Task t = job.task(i);
                TaskState target = end == JobState.SUCCEEDED ? TaskState.SUCCEEDED : varied[i].state;
                if (target != TaskState.CANCELLED || i % 2 == 0) {
                    job.move(t, TaskState.RUNNING);
                }
                job.move(t, target);
                Task v = varied[i];
                t.attempts = v.attempts;
                t.attemptId = v.attemptId;
                t.lastAttemptId = v.lastAttemptId;
                t.lastAgentId = v.lastAgentId == null ? null : "a1";
                t.reportedAttemptId = v.reportedAttemptId;
                t.error = v.error;
                t.value = target == TaskState.SUCCEEDED ? (v.value != null ? v.value : new byte[] {9}) : null;
                t.blob = target == TaskState.SUCCEEDED ? v.blob : null;
                t.backups = v.backups;
                t.backupWon = v.backupWon;
            }
            job.state = end;
            job.endedAtMs = h.now;
            h.core.jobs().put("jx", job);

            List<Object> before = reads(h);
            job.retire();
            assertThat(job.retired()).isTrue();
            assertThat(reads(h)).usingRecursiveComparison().as("after %s", end).isEqualTo(before);
        }
    }

    private static List<Object> reads(CoreHarness h) {
        List<Object> out = new ArrayList<>();
        out.add(h.apply(new Event.Query(h.nextRequest++, h.now, Event.QueryKind.JOB, "jx", true, true, 0)));
        for (TaskState state : new TaskState[] {null, TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED}) {
            out.add(h.apply(new Event.Query(h.nextRequest++, h.now, Event.QueryKind.TASK_PAGE, "jx", false, false, 0,
                    new Event.TaskFilter(3, 7, state))));
        }
        for (int i = 0; i < 40; i++) {
            out.add(h.apply(new Event.LocateTask(h.nextRequest++, h.now, "jx", i)));
        }
        out.add(h.apply(new Event.Query(h.nextRequest++, h.now, Event.QueryKind.RESULT_BLOB_REFS, null, false, false, 0)));
        out.add(h.core.durableSnapshot());
        return out;
    }

    private record Run(String jobId, Assignment loser, Assignment backup) {
    }

    /** A job with a retry and a backup whose blob result won, run to its end through the core. */
    private static Run runToTheEnd(CoreHarness h) {
        JobDefinition def = job("k", 6, false, 3).withBackups(true);
        String id = h.submit(def);
        h.register("a1", 6);
        List<Assignment> first = h.heartbeat("a1", List.of()).assignments();
        h.now += 100;
        List<Event.Report> done = new ArrayList<>();
        for (Assignment a : first.subList(0, 4)) {
            done.add(ok(a, a.task() == 0 ? new byte[] {1, 2} : new byte[0]));
        }
        done.add(failed(first.get(4), "flaky"));
        h.heartbeat("a1", done);
        h.tick(1_000); // past the backoff: task 4 runs again on a1
        Assignment retry = h.heartbeat("a1", List.of()).assignments().stream().filter(a -> a.task() == 4).findFirst().orElseThrow();
        h.now += 100;
        h.heartbeat("a1", List.of(ok(retry, new byte[] {4})));
        h.register("a2", 2);
        h.now += 1_500; // task 5 straggles: a2 takes its backup, and its result (a blob) wins
        Assignment backup = h.heartbeat("a2", List.of()).assignments().get(0);
        assertThat(backup.task()).isEqualTo(5);
        h.heartbeat("a2", List.of(new Event.Report(backup.attemptId(), id, 5, Event.Outcome.SUCCEEDED, new byte[0], null,
                null, BLOB)));
        return new Run(id, first.get(5), backup);
    }

    @Test
    void aJobRunToItsEndIsRetiredAndShowsItsRetriesBackupsAndBlobs() {
        CoreHarness h = new CoreHarness(CoreHarness.config());
        Run run = runToTheEnd(h);
        String id = run.jobId();
        Assignment backup = run.backup();
        Job job = h.core.jobs().get(id);
        assertThat(job.state).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.retired()).as("kept compactly once it ended").isTrue();
        Response.JobSnapshot snap = h.job(id);
        assertThat(snap.tasks().get(4)).satisfies(t -> {
            assertThat(t.attempts()).isEqualTo(2);
            assertThat(t.agentId()).isEqualTo("a1");
        });
        assertThat(snap.tasks().get(5)).satisfies(t -> {
            assertThat(t.backups()).isEqualTo(1);
            assertThat(t.backupWon()).isTrue();
            assertThat(t.agentId()).as("the winner's agent").isEqualTo("a2");
        });
        assertThat(snap.shardResults().get(0)).containsExactly(1, 2);
        assertThat(snap.shardResults().get(4)).containsExactly(4);
        assertThat(snap.shardResultBlobs()).containsExactly(Map.entry(5, BLOB));
        Response.TaskLocation located = (Response.TaskLocation) h.apply(new Event.LocateTask(h.nextRequest++, h.now, id, 5));
        assertThat(located.attemptId()).isEqualTo(backup.attemptId());
        assertThat(located.taskEnded()).isTrue();
        assertThat(h.core.durableSnapshot()).filteredOn(f -> f instanceof Fact.TaskCommitted c && c.jobId().equals(id))
                .hasSize(6).anySatisfy(f -> assertThat(((Fact.TaskCommitted) f).blob()).isEqualTo(BLOB));

        // The loser reports after the end: acknowledged, and a heartbeat still naming it is not told to cancel it.
        Assignment loser = run.loser();
        h.heartbeat("a1", List.of(ok(loser, new byte[] {5})));
        Response.HeartbeatAnswer named = h.heartbeat("a1", List.of(),
                List.of(new Event.RunningAttempt(loser.attemptId(), id, 5)));
        assertThat(named.cancelAttempts()).as("its outcome arrived: over, not adopted").doesNotContain(loser.attemptId());
        Response.HeartbeatAnswer stray = h.heartbeat("a1", List.of(),
                List.of(new Event.RunningAttempt(loser.attemptId() + 1_000, id, 3)));
        assertThat(stray.cancelAttempts()).as("an attempt of a finished job is cancelled").contains(loser.attemptId() + 1_000);
        assertThat(h.committedCount(id, 5)).isEqualTo(1);
    }

    /** A new leader restores the finished job from the log, or from a compaction snapshot: retired, and as durable as before. */
    @Test
    void aFinishedJobANewLeaderRestoresIsRetiredAndShowsWhatIsDurable() {
        CoreHarness h = new CoreHarness(CoreHarness.config());
        String id = runToTheEnd(h).jobId();
        Response.JobSnapshot ended = h.job(id);
        List<List<Fact>> sources = List.of(List.copyOf(h.facts), h.core.durableSnapshot());
        long epoch = 2;
        for (List<Fact> facts : sources) {
            h.core = new Scheduler(CoreHarness.config(), epoch++, FactReplay.replayState(facts), h.now, new Effects());
            assertThat(h.core.jobs().get(id).retired()).isTrue();
            Response.JobSnapshot restored = h.job(id);
            assertThat(restored.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(restored.succeeded()).isEqualTo(6);
            assertThat(restored.shardResults()).usingRecursiveComparison().isEqualTo(ended.shardResults());
            assertThat(restored.shardResultBlobs()).isEqualTo(ended.shardResultBlobs());
            assertThat(restored.tasks()).extracting(Response.TaskSnapshot::state).containsOnly(TaskState.SUCCEEDED);
            assertThat(restored.tasks().get(4).attempts()).as("the retry's count is durable").isEqualTo(2);
            Set<String> refs = ((Response.ArtifactRefs) h.apply(new Event.Query(h.nextRequest++, h.now,
                    Event.QueryKind.RESULT_BLOB_REFS, null, false, false, 0))).sha256s();
            assertThat(refs).contains(BLOB.sha256());
        }
    }
}
