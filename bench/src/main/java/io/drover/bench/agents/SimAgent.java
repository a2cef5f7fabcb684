package io.drover.bench.agents;

import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.Assignment;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.TaskResult;
import io.drover.protocol.thrift.droverConstants;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One simulated agent's side of the agent protocol, without the network: what it sends (hello,
 * registration, heartbeats) and what it makes of a heartbeat reply. Its tasks are no-ops that
 * succeed the moment they are assigned; their results are resent with every heartbeat until a
 * reply acknowledges them, as the real agent's reporter does. One call at a time: the swarm
 * drives it from whichever thread completed its previous call.
 */
final class SimAgent {
    /** Results per heartbeat at most, as a real agent batches them (the leader's frame limit allows far more). */
    static final int MAX_RESULTS_PER_HEARTBEAT = 100;

    private final int index;
    private final String id;
    private final String instanceId = UUID.randomUUID().toString();
    private final int slots;
    /** Finished, not yet acknowledged: attempt id → result. */
    private final Map<Long, TaskResult> unacked = new LinkedHashMap<>();
    private boolean registeredOnce;

    SimAgent(int index, String id, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, was " + slots);
        }
        this.index = index;
        this.id = id;
        this.slots = slots;
    }

    int index() {
        return index;
    }

    String id() {
        return id;
    }

    synchronized Hello hello() {
        return new Hello(droverConstants.PROTOCOL_VERSION, id);
    }

    synchronized AgentRegistration registration() {
        return new AgentRegistration(id, "sim-" + id, slots, new HashMap<>(), droverConstants.PROTOCOL_VERSION, "bench-agents")
                .setInstanceId(instanceId);
    }

    /** True the first time only: the swarm counts agents, not re-registrations. */
    synchronized boolean registered() {
        boolean first = !registeredOnce;
        registeredOnce = true;
        return first;
    }

    /**
     * The next heartbeat: unacknowledged results (up to the batch size) at once with no wait, else a
     * poll the leader may park up to {@code pollWaitMs}. Every slot is free: no-op tasks end at once.
     */
    synchronized HeartbeatRequest heartbeat(long pollWaitMs) {
        List<TaskResult> results = new ArrayList<>(Math.min(unacked.size(), MAX_RESULTS_PER_HEARTBEAT));
        for (TaskResult r : unacked.values()) {
            if (results.size() == MAX_RESULTS_PER_HEARTBEAT) {
                break;
            }
            results.add(r);
        }
        return new HeartbeatRequest(id, results, new ArrayList<>(), slots, false, results.isEmpty() ? pollWaitMs : 0,
                droverConstants.PROTOCOL_VERSION).setInstanceId(instanceId);
    }

    /** Whether results wait for an acknowledgement (the next heartbeat goes at once, unparked). */
    synchronized boolean hasResults() {
        return !unacked.isEmpty();
    }

    /**
     * Takes a reply: acknowledged results are forgotten (and counted in {@code ledger}), new
     * assignments finish at once as SUCCEEDED results to send, cancelled attempts are dropped.
     * Returns whether the leader asked it to register again.
     */
    synchronized boolean onReply(HeartbeatReply reply, TaskLedger ledger) {
        if (reply.isSetAckedAttempts()) {
            for (long attempt : reply.getAckedAttempts()) {
                TaskResult r = unacked.remove(attempt);
                if (r != null && ledger != null) {
                    ledger.acked(r.getJobId(), r.getTask());
                }
            }
        }
        if (reply.isSetCancelAttempts()) {
            reply.getCancelAttempts().forEach(unacked::remove);
        }
        if (reply.isSetAssignments()) {
            for (Assignment a : reply.getAssignments()) {
                if (ledger != null) {
                    ledger.assigned(a.getJobId(), a.getTask(), index);
                }
                unacked.put(a.getAttemptId(), new TaskResult(a.getAttemptId(), a.getJobId(), a.getTask(), Outcome.SUCCEEDED, 0));
            }
        }
        return reply.isReRegister();
    }

    /** Whether the reply carried anything (a parked poll that timed out carries nothing). */
    static boolean carriesWork(HeartbeatReply reply) {
        return reply.isSetAssignments() && !reply.getAssignments().isEmpty()
                || reply.isSetAckedAttempts() && !reply.getAckedAttempts().isEmpty()
                || reply.isSetCancelAttempts() && !reply.getCancelAttempts().isEmpty()
                || reply.isReRegister();
    }
}
