package io.drover.cli.server;

import io.drover.agent.AgentConfig;
import io.drover.agent.identity.CaPin;
import io.drover.agent.identity.CertificateRenewer;
import io.drover.agent.identity.EcKeyMaker;
import io.drover.agent.identity.EnrollmentRefusedException;
import io.drover.agent.identity.IdentityBootstrap;
import io.drover.agent.identity.IdentityStore;
import io.drover.agent.identity.KeyMaker;
import io.drover.agent.identity.StoredIdentity;
import io.drover.agent.link.ThriftEnroller;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.tls.ClientSecurity;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The agent's certificate at start and its renewals: joins with the token when the work dir holds
 * no valid certificate, then renews in the background. Keys and signing requests are made with the
 * JDK alone ({@link EcKeyMaker}): Bouncy Castle stays out of the agent process.
 */
final class AgentIdentitySetup {
    private AgentIdentitySetup() {
    }

    /** EC P-256 keys and PKCS#10 requests behind the agent's {@link KeyMaker} port. */
    static KeyMaker keyMaker() {
        return new EcKeyMaker(new SecureRandom());
    }

    /**
     * The agent's identity, renewing from now on (close it at exit): the valid certificate in the work
     * dir, else one obtained by joining with the token.
     *
     * @param security the enrolment connections' TLS: the CA alone while joining, the current
     *     certificate for renewals
     * @throws EnrollmentRefusedException with what to do (no token and no valid certificate, token
     *     expired, id held by another certificate, CA not the pinned one)
     */
    static CertificateRenewer establish(AgentConfig config, Optional<String> joinToken, CaPin pin, ClientSecurity security,
                                        Consumer<StoredIdentity> renewed) throws EnrollmentRefusedException {
        IdentityStore store = new IdentityStore(config.workDir());
        ThriftEnroller enroller = new ThriftEnroller(() -> new CoordinatorConnection<>(CoordinatorService.AGENT,
                config.coordinators(), "agent " + config.agentId() + " (identity)", config.deadlines(), false, security));
        KeyMaker keys = keyMaker();
        Clock clock = Clock.systemUTC();
        StoredIdentity identity = IdentityBootstrap.obtain(config.agentId(), joinToken, store, keys, enroller, pin, clock);
        return new CertificateRenewer(config.agentId(), identity, store, keys, enroller, pin, clock, renewed).start();
    }
}
