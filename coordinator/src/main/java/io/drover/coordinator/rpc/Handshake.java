package io.drover.coordinator.rpc;

import io.drover.coordinator.leader.Leadership;

import io.drover.protocol.PeerNames;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.IncompatibleVersion;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.droverConstants;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * {@code hello}, which both services answer alike (an unprefixed hello from an old peer may reach
 * either): the protocol range, whether this coordinator leads and, if not, who does. Answered by
 * a standby too. An agent's hello names its connection, so a closed connection is traced to it.
 */
final class Handshake {
    private final Leadership leadership;
    private final ConnectionTracker connections;

    Handshake(Leadership leadership, ConnectionTracker connections) {
        this.leadership = leadership;
        this.connections = connections;
    }

    void hello(Hello hello, AsyncMethodCallback<ServerInfo> done) {
        int v = hello == null ? 0 : hello.getProtocolVersion();
        if (v < droverConstants.MIN_PROTOCOL_VERSION) {
            done.onError(new IncompatibleVersion("protocol version " + v + " is not supported; this coordinator speaks "
                    + droverConstants.MIN_PROTOCOL_VERSION + ".." + droverConstants.PROTOCOL_VERSION,
                    droverConstants.MIN_PROTOCOL_VERSION, droverConstants.PROTOCOL_VERSION));
            return;
        }
        PeerNames.agentId(hello.getPeerName()).ifPresent(id -> connections.current().agentId = id);
        var term = leadership.activeTerm();
        ServerInfo info = new ServerInfo(droverConstants.PROTOCOL_VERSION, droverConstants.MIN_PROTOCOL_VERSION,
                leadership.coordinatorId(), term.isPresent(), term.map(t -> t.epoch().value()).orElse(0L));
        leadership.leaderHint().ifPresent(info::setLeaderEndpoint);
        done.onComplete(info);
    }
}
