package io.drover.agent.heartbeat;

import io.drover.agent.exec.WorkReceiver;
import io.drover.agent.link.CoordinatorLink;
import io.drover.agent.link.HeartbeatAnswer;
import io.drover.agent.link.HeartbeatCall;
import io.drover.agent.task.RequestRejectedException;
import io.drover.protocol.NoLeaderException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long poll: one heartbeat at a time parked on the coordinator until there is work or
 * cancellations for this agent, or the poll wait passes. Carries no results (the {@link Reporter}
 * sends those at once on its own connection), only the free slots and the attempts the agent
 * answers for: running, or finished with the result not yet acknowledged ({@link Outbox#owned}).
 */
final class Poller implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Poller.class);
    /** Pause after a failure; the connection already retried for its whole deadline. */
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /** An empty answer faster than this means the coordinator is not parking polls: do not spin. */
    private static final Duration MIN_EMPTY_POLL = Duration.ofMillis(100);

    private final String agentId;
    private final CoordinatorLink link;
    private final Registrar registrar;
    private final WorkReceiver work;
    private final Outbox outbox;
    private final AnswerHandler handler;
    private final Duration pollWait;
    private final BooleanSupplier draining;
    private final StopSignal stop;

    Poller(String agentId, CoordinatorLink link, Registrar registrar, WorkReceiver work, Outbox outbox, AnswerHandler handler,
           Duration pollWait, BooleanSupplier draining, StopSignal stop) {
        this.agentId = agentId;
        this.link = link;
        this.registrar = registrar;
        this.work = work;
        this.outbox = outbox;
        this.handler = handler;
        this.pollWait = pollWait;
        this.draining = draining;
        this.stop = stop;
    }

    @Override
    public void run() {
        while (!stop.isSet() && !Thread.currentThread().isInterrupted()) {
            try {
                pollOnce();
            } catch (NoLeaderException e) {
                if (stop.isSet()) {
                    break;
                }
                log.warn("agent {}: no leading coordinator reachable ({}); still trying", agentId, e.getMessage());
                stop.await(RETRY_PAUSE);
            } catch (RequestRejectedException e) {
                log.error("agent {}: coordinator refused the heartbeat: {}; retrying in {} s",
                        agentId, e.getMessage(), RETRY_PAUSE.toSeconds());
                stop.await(RETRY_PAUSE);
            } catch (RuntimeException e) {
                // Anything else (a reply that fails validation, a task that cannot start) must not end
                // the only thread that asks for work: a silent agent is declared lost with its tasks.
                log.error("agent {}: heartbeat failed; retrying in {} s", agentId, RETRY_PAUSE.toSeconds(), e);
                stop.await(RETRY_PAUSE);
            }
        }
        log.debug("agent {}: poller stopped", agentId);
    }

    private void pollOnce() {
        registrar.ensureRegistered(link);
        long started = System.nanoTime();
        HeartbeatAnswer answer = link.heartbeat(agentId, () -> new HeartbeatCall(List.of(),
                outbox.owned(work.running(), List.of()), work.freeSlots(), draining.getAsBoolean(), pollWait, work.queued()));
        handler.apply(answer);
        if (answer.isEmpty() && System.nanoTime() - started < MIN_EMPTY_POLL.toNanos()) {
            stop.await(MIN_EMPTY_POLL);
        }
    }
}
