package io.drover.coordinator.metrics;

import io.drover.coordinator.core.AgentState;
import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.leader.LeaderTerm;
import io.drover.coordinator.leader.Leadership;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's state as gauges need it (tasks queued and running, agents by state and pool, the oldest
 * heartbeat), asked of the core loop like any client query: the core's state belongs to its thread.
 * One answer serves every gauge of a scrape and any scrape within {@link #MAX_AGE_NANOS}, so several
 * scrapers cost the core one query a second. A standby, or a core that does not answer in time, has
 * no sample: its gauges are absent rather than zero, so a dashboard never shows "no work" by mistake.
 */
final class CoreSampler {
    private static final Logger log = LoggerFactory.getLogger(CoreSampler.class);
    static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long ANSWER_WITHIN_MS = 2_000;

    /** Counts of one agent group. */
    record AgentGroup(String state, String pool) {
    }

    /**
     * @param queued tasks ready or waiting for a retry, in jobs not ended
     * @param running attempts running
     * @param activeJobs jobs not ended
     * @param agents agents by state (ALIVE, SUSPECT, LOST, DRAINING) and pool
     * @param slots slots of agents that are alive, by pool
     * @param oldestHeartbeatAgeMs the longest any known agent has been silent, 0 with no agents
     */
    record Sample(long queued, long running, long activeJobs, Map<AgentGroup, Integer> agents, Map<String, Integer> slots,
                  long oldestHeartbeatAgeMs) {
    }

    private final Leadership leadership;
    private final LongSupplier nanos;
    private Optional<Sample> last = Optional.empty(); // guarded by this
    private long takenAt;

    CoreSampler(Leadership leadership, LongSupplier nanos) {
        this.leadership = leadership;
        this.nanos = nanos;
    }

    synchronized Optional<Sample> sample() {
        long now = nanos.getAsLong();
        if (last.isPresent() && now - takenAt < MAX_AGE_NANOS) {
            return last;
        }
        last = leadership.activeTerm().flatMap(this::ask);
        takenAt = now;
        return last;
    }

    private Optional<Sample> ask(LeaderTerm term) {
        var loop = term.loop();
        try {
            Response jobs = loop.offer(id -> new Event.Query(id, loop.nowMs(), Event.QueryKind.JOBS, null, false, false,
                    Integer.MAX_VALUE)).get(ANSWER_WITHIN_MS, TimeUnit.MILLISECONDS);
            Response agents = loop.offer(id -> new Event.Query(id, loop.nowMs(), Event.QueryKind.AGENTS, null, false, false,
                    0)).get(ANSWER_WITHIN_MS, TimeUnit.MILLISECONDS);
            if (jobs instanceof Response.JobList j && agents instanceof Response.AgentList a) {
                return Optional.of(of(j.jobs(), a.agents(), loop.nowMs()));
            }
            log.warn("metrics: the core answered {} and {} to its queries; no gauges this scrape",
                    jobs.getClass().getSimpleName(), agents.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // leadership ended or the core is busy: no sample, and the scrape goes on with the counters
            log.debug("metrics: no answer from the core: {}", e.toString());
        }
        return Optional.empty();
    }

    static Sample of(List<Response.JobSnapshot> jobs, List<Response.AgentSnapshot> agents, long nowMs) {
        long queued = 0;
        long running = 0;
        long active = 0;
        for (Response.JobSnapshot j : jobs) {
            if (!j.state().isTerminal()) {
                active++;
                queued += j.pending();
                running += j.running();
            }
        }
        Map<AgentGroup, Integer> groups = new HashMap<>();
        Map<String, Integer> slots = new HashMap<>();
        long oldest = 0;
        for (Response.AgentSnapshot a : agents) {
            String pool = a.pool() == null ? "" : a.pool();
            String state = a.draining() && a.state() == AgentState.ALIVE ? "DRAINING" : a.state().name();
            groups.merge(new AgentGroup(state, pool), 1, Integer::sum);
            if (a.state() == AgentState.ALIVE) {
                slots.merge(pool, a.slots(), Integer::sum);
            }
            oldest = Math.max(oldest, nowMs - a.lastHeartbeatMs());
        }
        return new Sample(queued, running, active, Map.copyOf(groups), Map.copyOf(slots), Math.max(0, oldest));
    }
}
