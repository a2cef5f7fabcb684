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

    @Test
    void aQueryWithoutAnAgentIdIsRejected() {
        assertThat(h.apply(new Event.Query(h.nextRequest++, h.now, Event.QueryKind.AGENT_HOLDINGS, null, false, false, 0)))
                .isInstanceOf(Response.Rejected.class);
    }
}
