package io.drover.coordinator.it;

import io.drover.coordinator.auth.TokenVerifier;
import io.drover.security.Role;
import io.drover.security.TokenClaims;
import java.time.Instant;
import java.util.Optional;

/**
 * A test-only token verifier: {@code "ROLE:SUBJECT"} is a valid token of that role and subject for
 * an hour; {@code "expired:SUBJECT"} is refused as expired; anything else as malformed. Real tokens
 * are signed (security module's Tokens); the coordinator sees only what a verifier answers.
 */
final class TestTokens implements TokenVerifier {
    static final String EXPIRED_AT = "2026-01-01T00:00:00Z";

    @Override
    public TokenClaims verify(String token) throws Rejected {
        int colon = token.indexOf(':');
        if (colon < 0) {
            throw new Rejected("malformed token: expected drv1.<payload>.<signature>");
        }
        String kind = token.substring(0, colon);
        String subject = token.substring(colon + 1);
        if (kind.equals("expired")) {
            throw new Rejected("token expired at " + EXPIRED_AT);
        }
        Role role;
        try {
            role = Role.parse(kind);
        } catch (IllegalArgumentException e) {
            throw new Rejected("malformed token: " + e.getMessage(), e);
        }
        return new TokenClaims("t-" + subject, role, subject, Optional.empty(), Instant.now().plusSeconds(3600), 0);
    }
}
