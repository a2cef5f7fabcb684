package io.drover.agent.heartbeat;

import io.drover.agent.exec.WorkReceiver;
import io.drover.agent.link.CoordinatorLink;
import io.drover.agent.link.HeartbeatAnswer;
import io.drover.agent.link.HeartbeatCall;
import io.drover.agent.task.AttemptRef;
import io.drover.agent.task.RequestRejectedException;
import io.drover.agent.task.TaskReport;
import io.drover.protocol.NoLeaderException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers finished attempts as soon as they finish: wakes on a new result, waits a few
 * milliseconds so results finishing together travel in one heartbeat, and sends an immediate
 * (non-parking) heartbeat. Results stay in the journal until acknowledged; unacknowledged ones go
 * out again with the next report, or after {@link #RESEND_INTERVAL} when nothing new finishes.
 * Assignments in the answer go straight to the task side: a report doubles as a request for work.
 * It also announces a change of the agent's own state (draining) at once, with or without results.
 */
final class Reporter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Reporter.class);
    private static final Duration RESEND_INTERVAL = Duration.ofSeconds(1);
    /** Keeps one heartbeat well under the frame limit (results are at most 64 KiB each). */
    static final int MAX_BATCH = 100;

    private final String agentId;
    private final CoordinatorLink link;
    private final Registrar registrar;
    private final WorkReceiver work;
    private final Outbox outbox;
    private final AnswerHandler handler;
    private final Duration batchWindow;
    private final BooleanSupplier draining;
    private final AtomicBoolean announce = new AtomicBoolean();
    private final StopSignal stop;
    private final RoundTrips roundTrips;
    /** When delivery of what the outbox holds was first tried and has not succeeded since, or 0. */
    private long tryingSinceNanos;
    /** A delivery that took longer than this is logged: results crossed an outage. */
    private static final Duration OUTAGE_WORTH_LOGGING = Duration.ofSeconds(5);

    Reporter(String agentId, CoordinatorLink link, Registrar registrar, WorkReceiver work, Outbox outbox,
             AnswerHandler handler, Duration batchWindow, BooleanSupplier draining, StopSignal stop, RoundTrips roundTrips) {
        this.roundTrips = roundTrips;
        this.agentId = agentId;
        this.link = link;
        this.registrar = registrar;
        this.work = work;
        this.outbox = outbox;
        this.handler = handler;
        this.batchWindow = batchWindow;
        this.draining = draining;
        this.stop = stop;
    }

    /** Sends a heartbeat soon even with no results, so a change of the agent's state is seen at once. */
    void announce() {
        announce.set(true);
        outbox.wake();
    }

    @Override
    public void run() {
        try {
            while (!stop.isSet()) {
                boolean woke = outbox.await(RESEND_INTERVAL);
                boolean announcing = announce.getAndSet(false);
                if (stop.isSet() || (outbox.size() == 0 && !announcing)) {
                    continue;
                }
                if (woke && !batchWindow.isZero()) {
                    stop.await(batchWindow); // let results finishing together share one heartbeat
                }
                outbox.drainSignals();
                if (!sendPending() && announcing) {
                    announce.set(true); // the coordinator has not heard it yet: again with the next try
                }
            }
            flushOnStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("agent {}: reporter interrupted with {} results undelivered", agentId, outbox.size());
        }
        log.debug("agent {}: reporter stopped", agentId);
    }

    /** One last attempt, on shutdown, to deliver what finished (including tasks stopped by it). */
    private void flushOnStop() {
        if (outbox.size() > 0) {
            log.info("agent {}: delivering {} results before stopping", agentId, outbox.size());
            sendPending();
        }
        if (outbox.size() > 0) {
            log.warn("agent {}: stopping with {} results not acknowledged by the coordinator", agentId, outbox.size());
        }
    }

    /** Sends one heartbeat with the oldest pending results; true if the coordinator took it (knew the agent). */
    private boolean sendPending() {
        List<TaskReport> batch = outbox.pending(MAX_BATCH);
        if (tryingSinceNanos == 0 && !batch.isEmpty()) {
            tryingSinceNanos = System.nanoTime();
        }
        AtomicReference<List<TaskReport>> sent = new AtomicReference<>(batch);
        try {
            registrar.ensureRegistered(link);
            long callStart = System.nanoTime();
            HeartbeatAnswer answer = link.heartbeat(agentId, () -> {
                // Each try says what is true now (a try after a failover reaches a new leader).
                List<AttemptRef> running = work.running(); // before the batch: see Outbox#owned
                List<TaskReport> results = outbox.pending(MAX_BATCH);
                sent.set(results);
                return new HeartbeatCall(results, outbox.owned(running, results), work.freeSlots(),
                        draining.getAsBoolean(), Duration.ZERO, work.queued());
            });
            roundTrips.took(System.nanoTime() - callStart);
            batch = sent.get();
            handler.apply(answer);
            long tryingMs = tryingSinceNanos == 0 ? 0 : (System.nanoTime() - tryingSinceNanos) / 1_000_000;
            tryingSinceNanos = 0;
            if (tryingMs >= OUTAGE_WORTH_LOGGING.toMillis()) {
                log.info("agent {}: coordinator {} reached after {} s of trying; delivered {} results, {} acknowledged",
                        agentId, link.currentEndpoint().orElse("?"), tryingMs / 1000, batch.size(), answer.acknowledged().size());
            }
            log.debug("agent {}: reported {} results, {} acknowledged", agentId, batch.size(), answer.acknowledged().size());
            if (answer.acknowledged().size() < batch.size()) {
                outbox.makeDurable(); // some were not taken: they wait for a resend, safe on disk meanwhile
            }
            if (outbox.size() > 0 && (batch.size() == MAX_BATCH || answer.reRegister())) {
                outbox.wake(); // more to send, or resend after registering: no need to wait
            }
            return !answer.reRegister();
        } catch (NoLeaderException e) {
            outbox.makeDurable();
            if (!stop.isSet()) {
                log.warn("agent {}: could not deliver {} results ({}); keeping them and retrying",
                        agentId, batch.size(), e.getMessage());
            }
        } catch (RequestRejectedException e) {
            outbox.makeDurable();
            log.error("agent {}: coordinator refused a report of {} results: {}; retrying in {} s",
                    agentId, batch.size(), e.getMessage(), RESEND_INTERVAL.toSeconds());
        } catch (RuntimeException e) {
            // The results stay in the outbox; the reporter thread must outlive any one failed delivery.
            outbox.makeDurable();
            log.error("agent {}: delivering {} results failed; keeping them and retrying in {} s",
                    agentId, batch.size(), RESEND_INTERVAL.toSeconds(), e);
        }
        return false;
    }
}
