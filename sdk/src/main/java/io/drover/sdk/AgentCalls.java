package io.drover.sdk;

import io.drover.sdk.internal.ClientConnection;
import io.drover.sdk.internal.Mappers;
import java.util.List;

/** {@link DroverClient}'s agent administration: list, drain, forget, revoke. */
final class AgentCalls {
    private final ClientConnection connection;

    AgentCalls(ClientConnection connection) {
        this.connection = connection;
    }

    List<AgentStatus> list() {
        return connection.call(c -> c.listAgents()).stream().map(Mappers::toAgentStatus).toList();
    }

    AgentStatus drain(String agentId, boolean drain) {
        String id = requireAgentId(agentId);
        return Mappers.toAgentStatus(connection.call(c -> c.drainAgent(id, drain)));
    }

    AgentStatus forget(String agentId) {
        String id = requireAgentId(agentId);
        return Mappers.toAgentStatus(connection.call(c -> c.forgetAgent(id)));
    }

    AgentStatus revoke(String agentId) {
        String id = requireAgentId(agentId);
        return Mappers.toAgentStatus(connection.call(c -> c.revokeAgent(id)));
    }

    private static String requireAgentId(String agentId) {
        return Args.nonBlank(agentId, "agentId");
    }
}
