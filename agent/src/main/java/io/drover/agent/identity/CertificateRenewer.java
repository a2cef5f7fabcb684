package io.drover.agent.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the agent's certificate at two thirds of its lifetime with a new key
 * ({@link RenewalSchedule}), retrying with backoff, and stores each renewal. Connections pick up
 * {@link #current()} on their next socket; running tasks are never touched.
 *
 * <p>One daemon thread ({@code drover-<id>-renewal}); {@link #tryRenew} is one try and says when
 * the next is due, so tests drive it with a settable clock and no thread.
 */
public final class CertificateRenewer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CertificateRenewer.class);

    private final String agentId;
    private final IdentityStore store;
    private final KeyMaker keys;
    private final Enroller enroller;
    private final CaPin pin;
    private final Clock clock;
    private final Consumer<StoredIdentity> renewed;
    private final AtomicReference<StoredIdentity> current;
    /** When the current certificate falls due: two thirds of the way from when it was received to its end. */
    private volatile Instant due;
    private int failures;
    private ScheduledExecutorService timer;

    /** @param renewed told of each new identity, on the renewal thread */
    public CertificateRenewer(String agentId, StoredIdentity initial, IdentityStore store, KeyMaker keys, Enroller enroller,
                              CaPin pin, Clock clock, Consumer<StoredIdentity> renewed) {
        this.agentId = agentId;
        this.store = store;
        this.keys = keys;
        this.enroller = enroller;
        this.pin = pin;
        this.clock = clock;
        this.renewed = renewed;
        this.current = new AtomicReference<>(initial);
        this.due = RenewalSchedule.renewAt(initial.notBefore(), initial.notAfter(),
                store.receivedAt().orElse(initial.notBefore()));
    }

    /** The identity new connections use. */
    public StoredIdentity current() {
        return current.get();
    }

    /** When the current certificate is to be renewed. */
    public Instant dueAt() {
        return due;
    }

    public synchronized CertificateRenewer start() {
        if (timer != null) {
            throw new IllegalStateException("renewer already started");
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "drover-" + agentId + "-renewal");
            t.setDaemon(true);
            return t;
        });
        log.info("agent {}: certificate {} valid until {}; renewal at {}", agentId, current.get().serial().toString(16),
                current.get().notAfter(), dueAt());
        schedule(until(dueAt()));
        return this;
    }

    private void schedule(Duration delay) {
        timer.schedule(() -> schedule(tryRenew()), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One renewal try, whatever the time; returns how long until the next one is due. */
    synchronized Duration tryRenew() {
        StoredIdentity old = current.get();
        try {
            KeyMaker.NewKey key = keys.newKey(agentId);
            Grant grant = enroller.renew(key.csrPem());
            pin.check(grant.caPem());
            StoredIdentity next = store.save(key.privateKeyPem(), grant);
            current.set(next);
            failures = 0;
            due = RenewalSchedule.renewAt(next.notBefore(), next.notAfter(), clock.instant());
            log.info("agent {}: certificate renewed: {} valid until {}; next renewal at {}", agentId,
                    next.serial().toString(16), next.notAfter(), due);
            renewed.accept(next);
            return until(due);
        } catch (EnrollmentRefusedException | RuntimeException e) {
            failures++;
            Instant now = clock.instant();
            Duration retry = RenewalSchedule.retryAfter(failures, now, old.notAfter());
            if (!now.isBefore(old.notAfter())) {
                log.error("agent {}: certificate expired at {} and renewal failed ({}); restart the agent with a new "
                        + "--join-token", agentId, old.notAfter(), e.getMessage());
                return RenewalSchedule.MAX_RETRY;
            }
            log.warn("agent {}: certificate renewal failed ({}); retrying in {} s (the certificate is valid until {})",
                    agentId, e.getMessage(), retry.toSeconds(), old.notAfter());
            return retry;
        }
    }

    private Duration until(Instant at) {
        Duration d = Duration.between(clock.instant(), at);
        return d.isNegative() ? Duration.ZERO : d;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
