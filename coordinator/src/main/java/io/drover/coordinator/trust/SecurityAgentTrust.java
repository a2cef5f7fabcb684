package io.drover.coordinator.trust;

import io.drover.coordinator.agentid.AgentAccessException;
import io.drover.coordinator.agentid.AgentCertificateIssuer;
import io.drover.coordinator.agentid.IssuedCertificate;
import io.drover.coordinator.agentid.JoinToken;
import io.drover.coordinator.agentid.JoinTokenVerifier;
import io.drover.security.BadCertificateRequestException;
import io.drover.security.ClusterCa;
import io.drover.security.InvalidTokenException;
import io.drover.security.Pem;
import io.drover.security.TokenClaims;
import io.drover.security.Tokens;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * The security module behind the coordinator's agent ports: {@link Tokens} verify join tokens,
 * the {@link ClusterCa} signs agents' certificates. The coordinator wires these when it has a
 * secrets directory.
 */
public final class SecurityAgentTrust {
    /** The pool of an agent whose join token names none. */
    public static final String DEFAULT_POOL = "default";

    private SecurityAgentTrust() {
    }

    public static JoinTokenVerifier tokens(Tokens tokens) {
        return token -> {
            try {
                TokenClaims c = tokens.verify(token);
                return new JoinToken(c.id(), c.role().label(), c.pool(), c.expiresAt(), c.maxUses());
            } catch (InvalidTokenException e) {
                String prefix = e.reason() == InvalidTokenException.Reason.EXPIRED ? "join token expired: " : "join token refused: ";
                throw new AgentAccessException(prefix + e.getMessage()); // the message says what to do
            }
        };
    }

    /** @param ttl how long an agent's certificate is valid (the agent renews at two thirds of it) */
    public static AgentCertificateIssuer issuer(ClusterCa ca, Duration ttl) {
        return (csrPem, agentId, pool) -> {
            try {
                X509Certificate c = ca.signAgent(csrPem, agentId, pool.orElse(DEFAULT_POOL), ttl);
                return new IssuedCertificate(Pem.encodeCertificate(c), Pem.encodeCertificate(ca.certificate()),
                        c.getSerialNumber(), c.getNotAfter().toInstant());
            } catch (BadCertificateRequestException e) {
                throw new IllegalArgumentException("the certificate signing request is refused: " + e.getMessage(), e);
            }
        };
    }
}
