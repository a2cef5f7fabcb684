package io.drover.coordinator.agentid;

/**
 * Checks a join token's signature and reads its claims; the integrator backs it with the security
 * module's {@code Tokens.verify}. Expiry, role and use counts are checked by {@link AgentEnrollment}.
 */
@FunctionalInterface
public interface JoinTokenVerifier {
    /**
     * @throws AgentAccessException when the token is not one this cluster signed (the message says
     *     what to do: ask an admin for a new one)
     */
    JoinToken verify(String token) throws AgentAccessException;
}
