package io.drover.coordinator.core;

import static io.drover.coordinator.core.CoreHarness.job;
import static io.drover.coordinator.core.CoreHarness.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.Response.AgentHoldings;
import io.drover.coordinator.core.Response.Assignment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an agent holds, and so may read: the jobs of its live attempts, from assignment to report. */
class AgentHoldingsTest {
    private final CoreHarness h = new CoreHarness(CoreHarness.config());

    private AgentHoldings holdings(String agentId) {
        return (AgentHoldings) h.apply(new Event.Query(h.nextRequest++, h.now, Event.QueryKind.AGENT_HOLDINGS, agentId,
                false, false, 0));
    }

    @Test
    void anAgentHoldsAJobFromItsAssignmentUntilItsAttemptEnds() {
        String id = h.submit(job("k", 1, false, 3));
        h.register("a1", 1);
        h.register("a2", 1);
        assertThat(holdings("a1").jobIds()).isEmpty();
        Assignment a = h.heartbeat("a1", List.of()).assignments().get(0);
        assertThat(holdings("a1").jobIds()).containsExactly(id);
        assertThat(holdings("a2").jobIds()).isEmpty();
        assertThat(holdings("nobody").jobIds()).isEmpty();
        h.heartbeat("a1", List.of(ok(a, new byte[] {1})));
        assertThat(holdings("a1").jobIds()).isEmpty();
    }

    private static Event.Report blob(Assignment a, ResultBlob blob) {
        return new Event.Report(a.attemptId(), a.jobId(), a.task(), Event.Outcome.SUCCEEDED, null, null, "bytes", blob);
    }

    /** The reduce attempt reads its inputs' blobs; a dependant's attempts read their upstream's result blob. */
    @Test
    void anAgentReadsOnlyTheResultBlobsOfTheAttemptsItHolds() {
        ResultBlob shard = new ResultBlob("a".repeat(64), 3_000_000);
        ResultBlob reduced = new ResultBlob("b".repeat(64), 5_000_000);
        String up = h.submit(job("up", 2, true, 1));
        String down = h.submit(job("down", 1, false, 1).withDependencies(
                List.of(new Dependency(up, Dependency.Condition.SUCCEEDED)), Dependency.UpstreamFailure.FAIL));
        h.register("a1", 2);
        List<Assignment> shards = h.heartbeat("a1", List.of()).assignments();
        assertThat(shards).hasSize(2);
        h.register("a2", 1);
        assertThat(holdings("a1").resultBlobSha256s()).isEmpty();
        Assignment reduce = h.heartbeat("a1", List.of(ok(shards.get(0), new byte[] {1}), blob(shards.get(1), shard)))
                .assignments().get(0);
        assertThat(holdings("a1").resultBlobSha256s()).as("the reduce task's blob input").containsExactly(shard.sha256());
        assertThat(holdings("a2").resultBlobSha256s()).isEmpty();

        Assignment dependant = h.heartbeat("a1", List.of(blob(reduce, reduced))).assignments().get(0);
        assertThat(dependant.jobId()).isEqualTo(down);
        assertThat(holdings("a1").resultBlobSha256s()).as("the upstream job's result, no longer its reduce inputs")
                .containsExactly(reduced.sha256());
        assertThat(holdings("a2").resultBlobSha256s()).isEmpty();
        h.heartbeat("a1", List.of(ok(dependant, new byte[] {2})));
        assertThat(holdings("a1").resultBlobSha256s()).as("not once its attempt ended").isEmpty();
    }

    @Test
    void aQueryWithoutAnAgentIdIsRejected() {
        assertThat(h.apply(new Event.Query(h.nextRequest++, h.now, Event.QueryKind.AGENT_HOLDINGS, null, false, false, 0)))
                .isInstanceOf(Response.Rejected.class);
    }
}
