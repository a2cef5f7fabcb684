package io.drover.bench.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.protocol.thrift.Assignment;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimAgentTest {
    private static HeartbeatReply reply(List<Assignment> assignments, List<Long> acks) {
        return new HeartbeatReply(assignments, new ArrayList<>(), acks, false);
    }

    @Test
    void anIdleAgentPollsWithItsWaitAndEveryFreeSlot() {
        SimAgent a = new SimAgent(0, "sim-0", 3);
        HeartbeatRequest q = a.heartbeat(1000);
        assertEquals(1000, q.getMaxWaitMs());
        assertEquals(3, q.getFreeSlots());
        assertTrue(q.getResults().isEmpty());
        assertTrue(q.isSetInstanceId());
        assertTrue(a.registered());
        assertFalse(a.registered(), "counted once");
    }

    @Test
    void assignedTasksSucceedAtOnceAndAreResentUnparkedUntilAcked() {
        SimAgent a = new SimAgent(2, "sim-2", 2);
        TaskLedger ledger = new TaskLedger(10, 3);
        a.onReply(reply(List.of(new Assignment(11, "j1", 4, false), new Assignment(12, "j1", 5, false)), List.of()), ledger);
        HeartbeatRequest report = a.heartbeat(1000);
        assertEquals(0, report.getMaxWaitMs(), "results go at once");
        assertEquals(List.of(11L, 12L), report.getResults().stream().map(r -> r.getAttemptId()).toList());
        assertEquals(Outcome.SUCCEEDED, report.getResults().get(0).getOutcome());

        a.onReply(reply(List.of(), List.of(11L)), ledger);
        assertEquals(List.of(12L), a.heartbeat(1000).getResults().stream().map(r -> r.getAttemptId()).toList(), "resent");
        a.onReply(reply(List.of(), List.of(12L, 12L, 99L)), ledger);
        assertFalse(a.hasResults());
        assertEquals(1000, a.heartbeat(1000).getMaxWaitMs());
        assertEquals(2, ledger.ackedTasks());
        assertEquals(2, ledger.verdict().maxPerAgent());
    }

    @Test
    void aReportCarriesAtMostOneBatchOfResults() {
        SimAgent a = new SimAgent(0, "sim-0", 1);
        List<Assignment> many = new ArrayList<>();
        for (int i = 0; i < SimAgent.MAX_RESULTS_PER_HEARTBEAT + 5; i++) {
            many.add(new Assignment(i, "j1", i, false));
        }
        a.onReply(reply(many, List.of()), null);
        assertEquals(SimAgent.MAX_RESULTS_PER_HEARTBEAT, a.heartbeat(1000).getResults().size());
    }

    @Test
    void anEmptyReplyCarriesNoWorkAndAReRegisterIsPassedOn() {
        SimAgent a = new SimAgent(0, "sim-0", 1);
        HeartbeatReply empty = reply(List.of(), List.of());
        assertFalse(SimAgent.carriesWork(empty));
        assertFalse(a.onReply(empty, null));
        HeartbeatReply again = reply(List.of(), List.of()).setReRegister(true);
        assertTrue(SimAgent.carriesWork(again));
        assertTrue(a.onReply(again, null));
    }
}
