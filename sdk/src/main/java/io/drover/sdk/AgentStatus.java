package io.drover.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An agent as the leader sees it: ALIVE, SUSPECT, LOST or DRAINING.
 *
 * @param agentId       its id
 * @param host          the host it registered from
 * @param state         ALIVE, SUSPECT, LOST or DRAINING
 * @param slots         how many task slots it offers
 * @param running       how many attempts it runs
 * @param lastHeartbeat when it was last heard from
 * @param labels        its labels (jobs' required labels are matched against them)
 * @param completedTasks tasks it finished under this leader
 * @param silentFor     how long nothing was heard from it, while it is not ALIVE
 * @param pool          its pool (the {@code pool} label), whose disconnect policy applies; empty: the default policy
 * @param pendingAction what happens to its work next per policy, e.g. "3 attempts left alone until
 *                      LOST in 1h55m, then re-run elsewhere"; empty when nothing is pending
 * @param softwareVersion the release the agent runs, as it registered; empty when the leader was not told
 *                      (an older agent or coordinator, or a new leader the agent has not registered with yet)
 */
public record AgentStatus(String agentId, String host, String state, int slots, int running,
                          Instant lastHeartbeat, Map<String, String> labels, long completedTasks,
                          Optional<Duration> silentFor, Optional<String> pool, Optional<String> pendingAction,
                          Optional<String> softwareVersion) {

    /**
     * An agent whose release is not known.
     *
     * @param agentId        its id
     * @param host           the host it registered from
     * @param state          ALIVE, SUSPECT, LOST or DRAINING
     * @param slots          how many task slots it offers
     * @param running        how many attempts it runs
     * @param lastHeartbeat  when it was last heard from
     * @param labels         its labels
     * @param completedTasks tasks it finished under this leader
     * @param silentFor      how long nothing was heard from it, while it is not ALIVE
     * @param pool           its pool; empty: the default policy
     * @param pendingAction  what happens to its work next per policy; empty when nothing is pending
     */
    public AgentStatus(String agentId, String host, String state, int slots, int running,
                       Instant lastHeartbeat, Map<String, String> labels, long completedTasks,
                       Optional<Duration> silentFor, Optional<String> pool, Optional<String> pendingAction) {
        this(agentId, host, state, slots, running, lastHeartbeat, labels, completedTasks, silentFor, pool,
                pendingAction, Optional.empty());
    }

    /**
     * An agent with nothing known about silence, pool or pending actions (from an older coordinator).
     *
     * @param agentId        its id
     * @param host           the host it registered from
     * @param state          ALIVE, SUSPECT, LOST or DRAINING
     * @param slots          how many task slots it offers
     * @param running        how many attempts it runs
     * @param lastHeartbeat  when it was last heard from
     * @param labels         its labels
     * @param completedTasks tasks it finished under this leader
     */
    public AgentStatus(String agentId, String host, String state, int slots, int running,
                       Instant lastHeartbeat, Map<String, String> labels, long completedTasks) {
        this(agentId, host, state, slots, running, lastHeartbeat, labels, completedTasks, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
