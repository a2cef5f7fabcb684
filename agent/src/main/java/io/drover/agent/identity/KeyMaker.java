package io.drover.agent.identity;

/**
 * Makes the agent's key pair and its signing request (EC P-256, PKCS#10 with CN = agent id):
 * {@link EcKeyMaker} in the product, the security module's {@code AgentKeys} in some tests. The
 * private key never leaves this host.
 */
@FunctionalInterface
public interface KeyMaker {
    /** A new key: its PKCS#8 PEM and a PKCS#10 request (PEM) for it with CN = {@code agentId}. */
    NewKey newKey(String agentId);

    record NewKey(String privateKeyPem, String csrPem) {
    }
}
