package io.drover.security;

import java.time.Instant;
import java.util.Optional;

/**
 * What a verified token says: its id (for use counts and audit), role, the identity it stands for
 * (a job's owner is this subject), the agent pool a join token admits to, when it expires, and how
 * many times it may be used (0: unbounded; join tokens default to 1).
 */
public record TokenClaims(String id, Role role, String subject, Optional<String> pool, Instant expiresAt, int maxUses) {
    public TokenClaims {
        if (id == null || id.isEmpty() || role == null || subject == null || subject.isEmpty() || expiresAt == null) {
            throw new IllegalArgumentException("a token needs an id, a role, a subject and an expiry");
        }
        if (maxUses < 0) {
            throw new IllegalArgumentException("maxUses must be >= 0, not " + maxUses);
        }
        pool = pool == null ? Optional.empty() : pool;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
