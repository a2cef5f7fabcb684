package io.drover.coordinator.rpc;

import io.drover.coordinator.auth.AccessPolicy;
import io.drover.coordinator.auth.TokenVerifier;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * How the coordinator knows its clients: by access tokens ({@code verifier} present), or not at all
 * (insecure: every caller is an admin, as before tokens). Either way mutating calls go to the
 * {@code audit} trail.
 *
 * @param verifier empty in insecure mode
 * @param clock    stamps audit entries and decides when a connection's token has expired
 */
public record ClientSecurity(Optional<TokenVerifier> verifier, AccessPolicy policy, AuditTrail audit, Clock clock) {
    public ClientSecurity {
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(clock, "clock");
    }

    /** No authentication: every caller may do everything; the audit log names them "insecure". */
    public static ClientSecurity insecure(AuditTrail audit, Clock clock) {
        return new ClientSecurity(Optional.empty(), AccessPolicy.standard(), audit, clock);
    }

    /** Access tokens in {@code hello}, checked by {@code verifier}; the standard role table. */
    public static ClientSecurity tokens(TokenVerifier verifier, AuditTrail audit, Clock clock) {
        return new ClientSecurity(Optional.of(verifier), AccessPolicy.standard(), audit, clock);
    }

    public boolean insecure() {
        return verifier.isEmpty();
    }
}
