package io.drover.agent.heartbeat;

import io.drover.agent.platform.NamedThreads;
import io.drover.agent.exec.WorkReceiver;
import io.drover.agent.link.CoordinatorLink;
import io.drover.agent.logs.LogRequest;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's two heartbeat threads: the {@link Poller} (long poll for work) and the
 * {@link Reporter} (immediate delivery of results), each on its own connection so a parked poll
 * never delays a result. Stopped in two steps so that results produced while the agent shuts its
 * tasks down can still be delivered.
 */
public final class Heartbeats {
    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);
    /** How often the agent compares its time without contact to the offline stop bound. */
    static final Duration OFFLINE_CHECK_INTERVAL = Duration.ofSeconds(1);

    private final String agentId;
    private final CoordinatorLink pollLink;
    private final CoordinatorLink reportLink;
    private final Outbox outbox;
    private final StopSignal pollStop = new StopSignal();
    private final StopSignal reportStop = new StopSignal();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Reporter reporting;
    private final Thread poller;
    private final Thread reporter;
    private final OfflineStop offline;
    private final ScheduledExecutorService offlineCheck;
    private final RoundTrips roundTrips = new RoundTrips();
    private final Registrar registrar;

    /**
     * {@code offline} is checked every {@link #OFFLINE_CHECK_INTERVAL} while the agent runs;
     * {@code logRequests} takes the reads of task output that replies carry (it must not block).
     */
    public Heartbeats(String agentId, CoordinatorLink pollLink, CoordinatorLink reportLink, Registrar registrar,
                      WorkReceiver work, Outbox outbox, Duration pollWait, Duration batchWindow, OfflineStop offline,
                      Consumer<LogRequest> logRequests) {
        this.agentId = agentId;
        this.pollLink = pollLink;
        this.reportLink = reportLink;
        this.outbox = outbox;
        this.offline = offline;
        this.registrar = registrar;
        this.offlineCheck = Executors.newSingleThreadScheduledExecutor(
                new NamedThreads("drover-" + agentId + "-offline-check", true));
        AnswerHandler handler = new AnswerHandler(outbox, work, registrar, offline, logRequests);
        this.poller = new NamedThreads("drover-" + agentId + "-poller", false).newThread(
                new Poller(agentId, pollLink, registrar, work, outbox, handler, pollWait, draining::get, pollStop));
        this.reporting = new Reporter(agentId, reportLink, registrar, work, outbox, handler, batchWindow,
                draining::get, reportStop, roundTrips);
        this.reporter = new NamedThreads("drover-" + agentId + "-reporter", false).newThread(reporting);
    }

    /**
     * Sets the draining flag every heartbeat carries: while it is set the coordinator sends no new
     * work, and running work finishes. A change is announced at once by a report, not at the next poll.
     */
    public void drain(boolean value) {
        if (draining.getAndSet(value) != value) {
            log.info("agent {}: {}", agentId, value ? "draining: no new work, running tasks finish" : "no longer draining");
            reporting.announce();
        }
    }

    /** The agent is closing: later heartbeats say draining, so no new work is sent. Not announced: close reports soon. */
    public void closing() {
        draining.set(true);
    }

    /** Round trips of result reports; for metrics. */
    public RoundTrips roundTrips() {
        return roundTrips;
    }

    /** Whether the agent is registered with a coordinator now (false before the first and after one forgot it). */
    public boolean registered() {
        return registrar.registered();
    }

    public boolean draining() {
        return draining.get();
    }

    public void start() {
        reporter.start();
        poller.start();
        offlineCheck.scheduleWithFixedDelay(this::checkOffline, OFFLINE_CHECK_INTERVAL.toMillis(),
                OFFLINE_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkOffline() {
        try {
            offline.check();
        } catch (RuntimeException e) {
            // A failed check must not end the schedule: the next one tries again.
            log.error("agent {}: checking the offline stop bound failed", agentId, e);
        }
    }

    /** Stops asking for work: closing the connection releases a parked poll at once. */
    public void stopPolling(Duration wait) {
        offlineCheck.shutdownNow();
        pollStop.set();
        pollLink.close();
        join(poller, wait);
    }

    /** Stops reporting after one last delivery attempt of at most {@code flushGrace}. */
    public void stopReporting(Duration flushGrace) {
        reportStop.set();
        outbox.wake();
        boolean flushed = join(reporter, flushGrace);
        reportLink.close(); // ends a delivery still retrying against an unreachable coordinator
        if (!flushed) {
            join(reporter, flushGrace);
        }
    }

    /**
     * Waits for {@code thread} to end; true if it did. An interrupt ends the wait early and is
     * passed on, but the caller still closes what it owns: stopping must not be cut short.
     */
    private boolean join(Thread thread, Duration wait) {
        try {
            thread.join(Math.max(1, wait.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("agent {}: thread {} did not stop within {} ms", agentId, thread.getName(), wait.toMillis());
            return false;
        }
        return true;
    }
}
