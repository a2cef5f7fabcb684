package io.drover.agent.identity;

import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's identity at start: a valid stored certificate is used as it is; else the agent joins
 * with its join token (a key made here, a signing request sent, the grant stored).
 */
public final class IdentityBootstrap {
    private static final Logger log = LoggerFactory.getLogger(IdentityBootstrap.class);

    private IdentityBootstrap() {
    }

    /**
     * @throws EnrollmentRefusedException no token and no valid certificate, or the coordinator refused
     *     the join (token expired or used, id held by another certificate), or its CA is not the pinned one
     */
    public static StoredIdentity obtain(String agentId, Optional<String> joinToken, IdentityStore store, KeyMaker keys,
                                        Enroller enroller, CaPin pin, Clock clock) throws EnrollmentRefusedException {
        Optional<StoredIdentity> stored = store.load(agentId, clock.instant());
        if (stored.isPresent()) {
            log.info("agent {}: using the certificate in {} (valid until {})", agentId, store.directory(),
                    stored.get().notAfter());
            return stored.get();
        }
        if (joinToken.isEmpty()) {
            throw new EnrollmentRefusedException("no --join-token and no valid certificate in " + store.directory()
                    + "; create a join token with 'drover token create --role agent' and start the agent with --join-token");
        }
        KeyMaker.NewKey key = keys.newKey(agentId);
        Grant grant = enroller.join(joinToken.get(), agentId, key.csrPem());
        pin.check(grant.caPem());
        StoredIdentity joined = store.save(key.privateKeyPem(), grant);
        log.info("agent {} joined the cluster{}: certificate {} valid until {}, stored in {}", agentId,
                grant.pool().map(p -> " in pool " + p).orElse(""), joined.serial().toString(16), joined.notAfter(),
                store.directory());
        return joined;
    }
}
