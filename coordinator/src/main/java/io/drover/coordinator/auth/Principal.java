package io.drover.coordinator.auth;

import io.drover.security.Role;
import io.drover.security.TokenClaims;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is calling on one connection, and how the coordinator knows: from an access token, an
 * agent's certificate, or not at all in insecure mode (where every caller is an admin). An
 * anonymous principal has no role and carries why it has no identity ("no token", "token expired
 * at ..."), which refusals repeat so the caller knows what to fix.
 *
 * @param subject        the token's subject (a job's owner), the agent id, or a placeholder
 * @param role           empty for an anonymous caller
 * @param expiresAt      when the identity lapses (a token's expiry); {@link Instant#MAX} otherwise
 * @param anonymousReason why there is no identity; empty when there is one
 */
public record Principal(String subject, Optional<Role> role, Authentication authentication, Instant expiresAt,
                        Optional<String> anonymousReason) {
    /** How a caller proved who it is. */
    public enum Authentication { TOKEN, AGENT_CERTIFICATE, INSECURE, NONE }

    public static final String INSECURE_SUBJECT = "insecure";
    public static final String ANONYMOUS_SUBJECT = "anonymous";

    public Principal {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(anonymousReason, "anonymousReason");
        if (role.isEmpty() != anonymousReason.isPresent()) {
            throw new IllegalArgumentException("a principal has either a role or the reason it has none");
        }
    }

    public static Principal token(TokenClaims claims) {
        return new Principal(claims.subject(), Optional.of(claims.role()), Authentication.TOKEN, claims.expiresAt(),
                Optional.empty());
    }

    /** An agent known by its certificate (CN = agent id). */
    public static Principal agent(String agentId) {
        return new Principal(agentId, Optional.of(Role.AGENT), Authentication.AGENT_CERTIFICATE, Instant.MAX,
                Optional.empty());
    }

    /** Any caller of a coordinator running without authentication: an admin, as before tokens existed. */
    public static Principal insecure() {
        return new Principal(INSECURE_SUBJECT, Optional.of(Role.ADMIN), Authentication.INSECURE, Instant.MAX,
                Optional.empty());
    }

    /** @param reason why the caller has no identity: "no token", "token expired at ..." */
    public static Principal anonymous(String reason) {
        return new Principal(ANONYMOUS_SUBJECT, Optional.empty(), Authentication.NONE, Instant.MAX,
                Optional.of(reason));
    }

    public boolean anonymous() {
        return role.isEmpty();
    }

    /** This principal as it stands at {@code now}: anonymous once its token has expired. */
    public Principal at(Instant now) {
        return !anonymous() && !now.isBefore(expiresAt) ? anonymous("token of '" + subject + "' expired at " + expiresAt)
                : this;
    }

    /** For refusals: "token of 'bob' (viewer)", "agent 'edge-1'", "a caller without a valid token (no token)". */
    public String describe() {
        return switch (authentication) {
            case TOKEN -> "token of '" + subject + "' (" + role.map(Role::label).orElse("?") + ")";
            case AGENT_CERTIFICATE -> "agent '" + subject + "'";
            case INSECURE -> "an unauthenticated caller (insecure mode)";
            case NONE -> "a caller without a valid token (" + anonymousReason.orElse("no token") + ")";
        };
    }

    /** For the audit log's "who": the subject, "agent:ID" for an agent. */
    public String who() {
        return authentication == Authentication.AGENT_CERTIFICATE ? "agent:" + subject : subject;
    }

    /** For the audit log's "role": the role's label, or "none". */
    public String roleLabel() {
        return role.map(Role::label).orElse("none");
    }
}
