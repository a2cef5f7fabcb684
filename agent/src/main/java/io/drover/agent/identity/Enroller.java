package io.drover.agent.identity;

/**
 * The coordinator's side of joining and renewing ({@code AgentService.join} and
 * {@code renewCertificate}). Any failure other than a refusal (no leader, network) is an unchecked
 * exception: the renewer retries it.
 */
public interface Enroller {
    /** Trades a join token for this agent's first certificate. */
    Grant join(String token, String agentId, String csrPem) throws EnrollmentRefusedException;

    /** A new certificate for the key of {@code csrPem}, asked on a connection that presents the current one. */
    Grant renew(String csrPem) throws EnrollmentRefusedException;
}
