package io.drover.agent.identity;

import java.time.Instant;
import java.util.Optional;

/** A certificate the coordinator issued to this agent, the CA to trust, its end and the agent's pool. */
public record Grant(String certificatePem, String caPem, Instant notAfter, Optional<String> pool) {
    public Grant {
        if (certificatePem == null || caPem == null || notAfter == null) {
            throw new IllegalArgumentException("a grant needs a certificate, the CA and notAfter");
        }
        pool = pool == null ? Optional.empty() : pool.filter(p -> !p.isEmpty());
    }
}
