package io.drover.coordinator.agentid;

import java.time.Instant;
import java.util.Optional;

/**
 * What a verified token says, as enrollment needs it: its id (uses are counted under it), its role
 * name ("agent" for a join token), the pool it admits to, its expiry and how many joins it allows
 * (0: unbounded).
 */
public record JoinToken(String id, String role, Optional<String> pool, Instant expiresAt, int maxUses) {
    public JoinToken {
        if (id == null || id.isEmpty() || role == null || expiresAt == null || maxUses < 0) {
            throw new IllegalArgumentException("a join token needs an id, a role, an expiry and maxUses >= 0");
        }
        pool = pool == null ? Optional.empty() : pool.filter(p -> !p.isEmpty());
    }
}
