package io.drover.agent.heartbeat;

import io.drover.agent.link.AgentIdentity;
import io.drover.agent.link.CoordinatorLink;
import io.drover.agent.task.RequestRejectedException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent registered: registers before the first heartbeat and again whenever the
 * coordinator says it does not know the agent (after a failover, or after declaring it lost).
 * Shared by the poller and the reporter, whichever needs it first.
 */
public final class Registrar {
    private static final Logger log = LoggerFactory.getLogger(Registrar.class);

    private final AgentIdentity identity;
    private final CountDownLatch firstRegistration = new CountDownLatch(1);
    private volatile boolean registered; // written under this
    private volatile String endpoint; // read without the lock: registering may block for long

    /** The artifacts the agent holds now, newest last: sent with each registration. */
    private final java.util.function.Supplier<java.util.List<String>> cachedArtifacts;

    public Registrar(AgentIdentity identity) {
        this(identity, java.util.List::of);
    }

    public Registrar(AgentIdentity identity, java.util.function.Supplier<java.util.List<String>> cachedArtifacts) {
        this.identity = identity;
        this.cachedArtifacts = cachedArtifacts;
    }

    /** Registers through {@code link} unless already registered; blocks while another thread does. */
    synchronized void ensureRegistered(CoordinatorLink link) {
        if (registered) {
            return;
        }
        try {
            link.register(identity.withCachedArtifacts(cachedArtifacts.get()));
        } catch (RequestRejectedException e) {
            // e.g. another agent holds this id: retried (it frees once that agent is gone), loudly
            log.error("agent {} on {}: the coordinator refused its registration: {}", identity.agentId(),
                    identity.host(), e.getMessage());
            throw e;
        }
        registered = true;
        endpoint = link.currentEndpoint().orElse("?");
        if (firstRegistration.getCount() > 0) {
            log.info("agent {} connected to coordinator {}: {} slots, labels {}",
                    identity.agentId(), endpoint, identity.slots(), identity.labels());
            firstRegistration.countDown();
        } else {
            log.info("agent {} registered again with coordinator {}", identity.agentId(), endpoint);
        }
    }

    /** Without the lock: a registration in progress (a network call) must not block a metrics scrape. */
    boolean registered() {
        return registered;
    }

    synchronized void invalidate() {
        if (registered) {
            log.warn("coordinator does not know agent {} (failover or declared lost); registering again", identity.agentId());
        }
        registered = false;
    }

    /** Waits until the agent has registered once; false on timeout. */
    public boolean awaitFirstRegistration(Duration timeout) throws InterruptedException {
        return firstRegistration.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The coordinator of the latest registration, "host:port", or empty before the first. */
    public Optional<String> endpoint() {
        return Optional.ofNullable(endpoint);
    }
}
