package io.drover.coordinator.core;

import static io.drover.coordinator.core.CoreHarness.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.Response.Assignment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Results kept as blobs: the core commits only the reference, hands the reduce task its blob inputs,
 * shows the job's result as a blob, and keeps all of it across a failover and a compaction.
 */
class ResultBlobTest {
    private static final ResultBlob SHARD_1 = new ResultBlob("a".repeat(64), 3_000_000);
    private static final ResultBlob REDUCED = new ResultBlob("b".repeat(64), 5_000_000);
    private final CoreHarness h = new CoreHarness(CoreHarness.config());

    private static Event.Report blob(Assignment a, ResultBlob blob) {
        return new Event.Report(a.attemptId(), a.jobId(), a.task(), Event.Outcome.SUCCEEDED, null, null, "bytes", blob);
    }

    @Test
    void blobResultsAreCommittedByReferenceAndReachTheReduceTaskAndTheView() {
        String id = h.submit(job("k", 2, true, 1));
        h.register("a1", 2);
        List<Assignment> shards = h.heartbeat("a1", List.of()).assignments();
        Assignment reduce = h.heartbeat("a1", List.of(CoreHarness.ok(shards.get(0), new byte[] {7}), blob(shards.get(1), SHARD_1)))
                .assignments().get(0);

        assertThat(reduce.reduceTask()).isTrue();
        assertThat(reduce.reduceInputBlobs()).isEqualTo(Map.of(1, SHARD_1));
        assertThat(reduce.reduceInputs().get(0)).containsExactly(7);
        assertThat(reduce.reduceInputs().get(1)).as("a blob's inline entry is empty").isEmpty();
        assertThat(h.facts).anySatisfy(f -> assertThat(f).isInstanceOfSatisfying(Fact.TaskCommitted.class,
                c -> assertThat(c.blob()).isEqualTo(SHARD_1)));

        h.heartbeat("a1", List.of(blob(reduce, REDUCED)));

        Response.JobSnapshot view = h.job(id);
        assertThat(view.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(view.resultBlob()).isEqualTo(REDUCED);
        assertThat(h.facts).anySatisfy(f -> assertThat(f).isInstanceOfSatisfying(Fact.JobEnded.class,
                e -> assertThat(e.resultBlob()).isEqualTo(REDUCED)));
    }

    @Test
    void aNewLeaderAndACompactedLogKeepTheReferences() {
        String id = h.submit(job("k", 2, true, 1));
        h.register("a1", 2);
        List<Assignment> shards = h.heartbeat("a1", List.of()).assignments();
        Assignment reduce = h.heartbeat("a1", List.of(CoreHarness.ok(shards.get(0), new byte[] {7}), blob(shards.get(1), SHARD_1)))
                .assignments().get(0);
        h.heartbeat("a1", List.of(blob(reduce, REDUCED)));

        FactReplay replay = new FactReplay();
        h.facts.forEach(replay::apply);
        assertThat(replay.jobs().get(0).committedBlobs()).isEqualTo(Map.of(1, SHARD_1, 2, REDUCED));
        h.core = new Scheduler(CoreHarness.config(), 2, FactReplay.replayState(h.facts), h.now, new Effects());
        assertThat(h.job(id).resultBlob()).as("after a failover").isEqualTo(REDUCED);

        List<Fact> snapshot = h.core.durableSnapshot();
        h.core = new Scheduler(CoreHarness.config(), 3, FactReplay.replayState(snapshot), h.now, new Effects());
        assertThat(h.job(id).resultBlob()).as("after compaction").isEqualTo(REDUCED);
    }
}
