package io.drover.coordinator.agentid;

import java.util.Optional;

/**
 * Signs an agent's certificate request with the cluster CA; the integrator backs it with the
 * security module's {@code ClusterCa.signAgent}. The certificate's CN is {@code agentId} and its
 * pool, if any, a SAN URI {@code drover:pool:<pool>}, whatever the request asked for.
 */
@FunctionalInterface
public interface AgentCertificateIssuer {
    /** @throws IllegalArgumentException when {@code csrPem} is not a valid, self-signed PKCS#10 request */
    IssuedCertificate issue(String csrPem, String agentId, Optional<String> pool);
}
