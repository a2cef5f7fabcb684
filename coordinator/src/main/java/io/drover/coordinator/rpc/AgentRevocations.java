package io.drover.coordinator.rpc;

import io.drover.coordinator.agentid.AgentEnrollment;
import io.drover.coordinator.agentid.AgentTrust;
import io.drover.protocol.thrift.AgentView;
import io.drover.protocol.thrift.InvalidRequest;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.thrift.async.AsyncMethodCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code revokeAgent}: every certificate of the agent id is revoked on ZooKeeper (refused from then
 * on by every coordinator, and the id is free for a new join), its open connections are closed, and
 * its work is re-queued the way {@code forgetAgent} re-queues a decommissioned agent's.
 */
final class AgentRevocations {
    private static final Logger log = LoggerFactory.getLogger(AgentRevocations.class);

    private final CoreGateway core;
    private final AgentTrust trust;
    private final ConnectionCloser closer;

    AgentRevocations(CoreGateway core, AgentTrust trust, ConnectionCloser closer) {
        this.core = core;
        this.trust = trust;
        this.closer = closer;
    }

    void revoke(String agentId, AsyncMethodCallback<AgentView> done) {
        Optional<AgentEnrollment> enrollment = trust.enrollment();
        if (enrollment.isEmpty()) {
            done.onError(new InvalidRequest("this coordinator runs --insecure: agents have no certificates to revoke; "
                    + "'drover agents forget " + agentId + "' re-queues its work"));
            return;
        }
        core.onIoThen(done, term -> enrollment.get().revoke(agentId)).thenAccept(serials -> {
            int closed = closer.close(conn -> agentId.equals(conn.agentId) || conn.peer.certificate()
                    .map(c -> enrollment.get().isRevoked(c.getSerialNumber())).orElse(false));
            log.warn("agent {} revoked: {} certificates refused from now on, {} open connections closed", agentId,
                    serials.size(), closed);
            core.askThen(done, CoreAsk.agents()).thenAccept(agents -> {
                boolean known = agents.agents().stream().anyMatch(a -> a.agentId().equals(agentId));
                if (known) {
                    core.answer(done, CoreAsk.forget(agentId), WireMapper::agentView);
                } else {
                    done.onComplete(unknownAgent(agentId, serials));
                }
            });
        });
    }

    /** What revoke answers for an id the leader has no registration of (it joined but never ran work). */
    private static AgentView unknownAgent(String agentId, List<BigInteger> serials) {
        AgentView v = new AgentView(agentId, "", "REVOKED", 0, 0, 0, Map.of(), 0);
        v.setPendingAction(serials.isEmpty() ? "held no certificate" : "no work to re-queue");
        return v;
    }
}
