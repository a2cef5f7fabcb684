package io.drover.coordinator.agentid;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents' certificates: a join trades a join token for the first certificate of an agent id, a
 * renewal gives a certificate-authenticated agent a new one for the same id and pool, a revocation
 * ends every certificate of an id. An id held by a live, unrevoked certificate is refused to any
 * other join. Blocking (ZooKeeper): run it off the Thrift threads.
 */
public final class AgentEnrollment {
    private static final Logger log = LoggerFactory.getLogger(AgentEnrollment.class);
    private static final int CAS_TRIES = 5;
    static final String AGENT_ROLE = "agent";

    private final ZkAgentCertificates store;
    private final JoinTokenVerifier tokens;
    private final AgentCertificateIssuer issuer;
    private final Clock clock;

    public AgentEnrollment(ZkAgentCertificates store, JoinTokenVerifier tokens, AgentCertificateIssuer issuer, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** What a join or renewal hands the agent. */
    public record Grant(IssuedCertificate certificate, String agentId, Optional<String> pool) {
    }

    /**
     * The caller logs refusals (rate-limited per address: joins come from anywhere).
     *
     * @throws AgentAccessException the token is not good (expired, not a join token, used up) or the
     *     id is held by another live certificate
     * @throws IllegalArgumentException the signing request is not valid
     */
    public Grant join(String token, String agentId, String csrPem, String remote) throws AgentAccessException {
        JoinToken t = tokens.verify(token);
        Instant now = clock.instant();
        if (!AGENT_ROLE.equals(t.role())) {
            throw new AgentAccessException("the token is a " + t.role() + " token, not a join token; create one with "
                    + "'drover token create --role agent'");
        }
        if (!now.isBefore(t.expiresAt())) {
            throw new AgentAccessException("join token expired at " + t.expiresAt() + "; create a new one with "
                    + "'drover token create --role agent'");
        }
        try {
            for (int i = 0; i < CAS_TRIES; i++) {
                var held = store.holder(agentId);
                IssuedCertificate issued = issuer.issue(csrPem, agentId, t.pool());
                if (held.value().isPresent() && heldByLiveCertificate(held.value().get(), now)) {
                    if (!retriedJoin(held.value().get(), issued, now)) {
                        throw new AgentAccessException("agent id " + agentId + " is held by another certificate (valid until "
                                + held.value().get().notAfter() + "); choose another id with --id, or run 'drover agents revoke "
                                + agentId + "' first");
                    }
                    // The agent's join went through but its answer was lost (a coordinator stopped or froze before
                    // replying): the same key asks again. It gets a certificate without spending the token again.
                    if (store.recordRenewal(agentId, held, held.value().get().with(issued, now))) {
                        log.info("agent {} joined again from {} with the key of its certificate (a retried join): "
                                + "certificate {} valid until {}", agentId, remote, issued.serial().toString(16), issued.notAfter());
                        return new Grant(issued, agentId, held.value().get().pool());
                    }
                    continue;
                }
                var uses = store.tokenUses(t.id());
                if (t.maxUses() > 0 && uses.value().orElse(0) >= t.maxUses()) {
                    throw new AgentAccessException("join token " + t.id() + " was already used " + t.maxUses()
                            + (t.maxUses() == 1 ? " time" : " times") + "; create a new one with 'drover token create --role agent'");
                }
                CertificateRecord record = new CertificateRecord(t.pool(), java.util.List.of()).with(issued, now);
                if (store.recordJoin(t.id(), uses, agentId, held, record)) {
                    log.info("agent {} joined from {}{}: certificate {} valid until {}", agentId, remote,
                            t.pool().map(p -> " into pool " + p).orElse(""), issued.serial().toString(16), issued.notAfter());
                    return new Grant(issued, agentId, t.pool());
                }
            }
        } catch (AgentAccessException | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new io.drover.coordinator.store.StoreException("ZooKeeper failed while agent " + agentId + " joined: " + e, e);
        }
        throw new AgentAccessException("agent id " + agentId + " or its join token changed under concurrent joins; try again");
    }

    /** The id's newest certificate is live, not revoked, and was issued for the key of this signing request. */
    private boolean retriedJoin(CertificateRecord held, IssuedCertificate issued, Instant now) {
        return held.newestLiveHasKey(issued.keySha256(), now)
                && !store.isRevoked(held.serials().get(held.serials().size() - 1).serial());
    }

    /**
     * A new certificate for the agent whose certificate has {@code serial}: same id, same pool.
     *
     * @throws AgentAccessException the certificate is revoked or no longer this id's
     */
    public Grant renew(String agentId, BigInteger serial, String csrPem) throws AgentAccessException {
        if (store.isRevoked(serial)) {
            throw new AgentAccessException("the certificate of agent " + agentId + " is revoked; join again with a new token");
        }
        Instant now = clock.instant();
        try {
            for (int i = 0; i < CAS_TRIES; i++) {
                var held = store.holder(agentId);
                CertificateRecord record = held.value().orElse(null);
                if (record == null || !record.holds(serial)) {
                    throw new AgentAccessException("certificate " + serial.toString(16) + " no longer holds agent id "
                            + agentId + "; join again with a new token");
                }
                IssuedCertificate issued = issuer.issue(csrPem, agentId, record.pool());
                if (store.recordRenewal(agentId, held, record.with(issued, now))) {
                    log.info("agent {} renewed its certificate: {} valid until {}", agentId, issued.serial().toString(16),
                            issued.notAfter());
                    return new Grant(issued, agentId, record.pool());
                }
            }
        } catch (AgentAccessException | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new io.drover.coordinator.store.StoreException("ZooKeeper failed while agent " + agentId + " renewed: " + e, e);
        }
        throw new AgentAccessException("agent id " + agentId + " changed under a concurrent renewal; try again");
    }

    /**
     * Revokes every certificate of {@code agentId}: refused from now on, on every coordinator.
     *
     * @return the serials revoked (empty when the id holds no certificate)
     */
    public java.util.List<BigInteger> revoke(String agentId) {
        try {
            var held = store.holder(agentId);
            store.revoke(agentId, held);
            var serials = held.value().map(r -> r.serials().stream().map(CertificateRecord.Serial::serial).toList())
                    .orElse(java.util.List.of());
            log.warn("agent {} revoked: certificates {} are refused from now on", agentId,
                    serials.stream().map(s -> s.toString(16)).toList());
            return serials;
        } catch (Exception e) {
            throw new io.drover.coordinator.store.StoreException("ZooKeeper failed while revoking agent " + agentId + ": " + e, e);
        }
    }

    public boolean isRevoked(BigInteger serial) {
        return store.isRevoked(serial);
    }

    private boolean heldByLiveCertificate(CertificateRecord record, Instant now) {
        return record.serials().stream().anyMatch(s -> now.isBefore(s.notAfter()) && !store.isRevoked(s.serial()));
    }
}
