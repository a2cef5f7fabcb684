package io.drover.coordinator.rpc;

import io.drover.coordinator.agentid.AgentTrust;
import io.drover.coordinator.secrets.SecretSealer;

/**
 * How the endpoints know their callers and keep secrets: clients by token (or insecure), agents by
 * certificate (or by the name they announce, insecure), and the sealer for job secrets.
 */
public record EndpointSecurity(ClientSecurity clients, AgentTrust agents, SecretSealer secrets) {
}
