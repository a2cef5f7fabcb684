package io.drover.agent.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.artifact.ArtifactPiece;
import io.drover.agent.exec.WorkReceiver;
import io.drover.agent.journal.InMemoryResultJournal;
import io.drover.agent.link.AgentIdentity;
import io.drover.agent.link.CoordinatorLink;
import io.drover.agent.link.HeartbeatAnswer;
import io.drover.agent.link.HeartbeatCall;
import io.drover.agent.logs.LogPiece;
import io.drover.agent.task.AttemptRef;
import io.drover.agent.task.Execution;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.TaskAssignment;
import io.drover.agent.task.TaskReport;
import io.drover.testkit.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * After a failover the new leader closes its recovery window once every agent has sent one
 * heartbeat, and that is usually the long poll. So every heartbeat names all the attempts the agent
 * still answers for: those running and those finished whose results wait in the journal for an
 * acknowledgement. Otherwise the new leader runs a task again whose result the agent holds.
 */
class HeldResultsTest {
    private final StopSignal stop = new StopSignal();
    private final RecordingLink link = new RecordingLink();
    private final InMemoryResultJournal journal = new InMemoryResultJournal();
    private final Outbox outbox = new Outbox(journal);
    private final FixedWork work = new FixedWork(List.of(new AttemptRef(7, "j", 0)));
    private final Registrar registrar = new Registrar(new AgentIdentity("a1", "h", 2, Map.of(), "test", "instance-1"));
    private final AnswerHandler handler = new AnswerHandler(outbox, work, registrar,
            new OfflineStop("a1", Path.of(System.getProperty("java.io.tmpdir")), new SettableClock(Instant.EPOCH), reason -> 0),
            piece -> { });

    @Test
    void theLongPollNamesFinishedAttemptsWhoseResultsAreNotAcknowledged() {
        journal.append(report(8, 1));
        link.stopAfterOne = stop;

        new Poller("a1", link, registrar, work, outbox, handler, Duration.ofSeconds(30), () -> false, stop).run();

        HeartbeatCall call = link.calls.get(0);
        assertThat(call.results()).as("the poll carries no results").isEmpty();
        assertThat(call.running()).extracting(AttemptRef::attemptId).as("running, then held").containsExactly(7L, 8L);
    }

    @Test
    void aReportNamesTheHeldResultsItCouldNotCarry() {
        for (int i = 0; i < Reporter.MAX_BATCH + 2; i++) {
            journal.append(report(100 + i, i));
        }
        link.stopAfterOne = stop;
        outbox.wake();
        Reporter reporter = new Reporter("a1", link, registrar, work, outbox, handler, Duration.ZERO, () -> false, stop, new RoundTrips());

        reporter.run();

        HeartbeatCall call = link.calls.get(0);
        assertThat(call.results()).hasSize(Reporter.MAX_BATCH);
        assertThat(call.running()).extracting(AttemptRef::attemptId)
                .containsExactly(7L, 100L + Reporter.MAX_BATCH, 101L + Reporter.MAX_BATCH);
    }

    @Test
    void heldResultsAreSyncedOnlyWhenAReportDoesNotGetThemAcknowledged() {
        int[] syncs = new int[1];
        InMemoryResultJournal held = new InMemoryResultJournal();
        Outbox counting = new Outbox(new io.drover.agent.journal.ResultJournal() {
            @Override public void append(TaskReport report) { held.append(report); }
            @Override public List<TaskReport> pending(int max) { return held.pending(max); }
            @Override public void acknowledge(java.util.Collection<Long> ids) { held.acknowledge(ids); }
            @Override public boolean holds(long attemptId) { return held.holds(attemptId); }
            @Override public int size() { return held.size(); }
            @Override public void makeDurable() { syncs[0]++; }
        });
        AnswerHandler answers = new AnswerHandler(counting, work, registrar,
                new OfflineStop("a1", Path.of(System.getProperty("java.io.tmpdir")), new SettableClock(Instant.EPOCH), reason -> 0),
                piece -> { });
        counting.finished(report(30, 0));
        link.stopAfterOne = stop;
        link.acknowledgeAll = true;
        new Reporter("a1", link, registrar, work, counting, answers, Duration.ZERO, () -> false, stop, new RoundTrips()).run();
        assertThat(counting.size()).as("acknowledged").isZero();
        assertThat(syncs[0]).as("acknowledged: committed by the coordinator, no sync here").isZero();

        StopSignal again = new StopSignal();
        counting.finished(report(31, 1));
        link.stopAfterOne = again;
        link.acknowledgeAll = false;
        new Reporter("a1", link, registrar, work, counting, answers, Duration.ZERO, () -> false, again, new RoundTrips()).run();
        assertThat(counting.size()).isEqualTo(1);
        assertThat(syncs[0]).as("not acknowledged: it waits for a resend, synced meanwhile").isPositive();
    }

    @Test
    void aPollRetriedAcrossAFailoverSaysWhatTheAgentRunsAndHoldsWhenItArrives() {
        link.stopAfterOne = stop;
        // While the poll retries, a report's answer from the old leader started attempt 9, and 7 finished.
        link.outage = () -> {
            work.running = List.of(new AttemptRef(9, "j", 2));
            journal.append(report(7, 0));
        };

        new Poller("a1", link, registrar, work, outbox, handler, Duration.ofSeconds(30), () -> false, stop).run();

        assertThat(link.calls).singleElement().extracting(HeartbeatCall::running).asList()
                .extracting(a -> ((AttemptRef) a).attemptId()).containsExactly(9L, 7L);
    }

    @Test
    void anUnexpectedErrorInOneHeartbeatDoesNotEndThePoll() {
        link.stopAfterOne = stop;
        link.failFirst = new IllegalStateException("a reply that cannot be applied");

        new Poller("a1", link, registrar, work, outbox, handler, Duration.ofSeconds(30), () -> false, stop).run();

        assertThat(link.calls).as("the poll asked again after the failure").hasSize(1);
    }

    @Test
    void anUnexpectedErrorInOneReportKeepsTheResultsForTheNext() {
        journal.append(report(8, 1));
        link.stopAfterOne = stop;
        link.failFirst = new IllegalStateException("a reply that cannot be applied");
        outbox.wake();
        Reporter reporter = new Reporter("a1", link, registrar, work, outbox, handler, Duration.ZERO, () -> false, stop, new RoundTrips());

        reporter.run();

        // The next try (and the flush on stop after it: the fake acknowledges nothing) still carries the result.
        assertThat(link.calls).isNotEmpty().allSatisfy(c -> assertThat(c.results()).hasSize(1));
    }

    private static TaskReport report(long attemptId, int task) {
        return new TaskReport(new AttemptRef(attemptId, "j", task), Execution.succeeded(new byte[] {1}), 5);
    }

    private static final class FixedWork implements WorkReceiver {
        private volatile List<AttemptRef> running;

        FixedWork(List<AttemptRef> running) {
            this.running = running;
        }

        @Override public void assign(TaskAssignment assignment) { }

        @Override public void cancel(long attemptId) { }

        @Override public List<AttemptRef> running() { return running; }

        @Override public int freeSlots() { return 1; }
    }

    /**
     * Answers every heartbeat with nothing and records what reached "the leader"; stops the caller
     * after the first. With {@code outage} set, the first try fails (the leader died) and the
     * outage runs before the link tries again, as the real link does for its whole deadline.
     */
    private static final class RecordingLink implements CoordinatorLink {
        final List<HeartbeatCall> calls = new ArrayList<>();
        StopSignal stopAfterOne;
        Runnable outage;
        RuntimeException failFirst;
        boolean acknowledgeAll;

        @Override public void register(AgentIdentity identity) { }

        @Override
        public HeartbeatAnswer heartbeat(String agentId, Supplier<HeartbeatCall> call) {
            if (failFirst != null) {
                RuntimeException e = failFirst;
                failFirst = null;
                throw e;
            }
            if (outage != null) {
                call.get(); // sent to the old leader, which died before answering
                outage.run();
                outage = null;
            }
            HeartbeatCall sent = call.get();
            calls.add(sent);
            stopAfterOne.set();
            List<Long> acks = acknowledgeAll ? sent.results().stream().map(TaskReport::attemptId).toList() : List.of();
            return new HeartbeatAnswer(List.of(), List.of(), acks, false);
        }

        @Override public JobDescription describeJob(String jobId) { throw new UnsupportedOperationException(); }

        @Override public ArtifactPiece fetch(String sha256, long offset, int maxBytes) { throw new UnsupportedOperationException(); }

        @Override public void deliverLog(String agentId, LogPiece piece) { }

        @Override public Optional<String> currentEndpoint() { return Optional.of("test:1"); }

        @Override public void close() { }
    }
}
