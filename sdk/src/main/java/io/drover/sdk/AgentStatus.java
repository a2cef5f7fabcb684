package io.drover.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An agent as the leader sees it: ALIVE, SUSPECT, LOST or DRAINING.
 *
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

    /** An agent whose release is not known. */
    public AgentStatus(String agentId, String host, String state, int slots, int running,
                       Instant lastHeartbeat, Map<String, String> labels, long completedTasks,
                       Optional<Duration> silentFor, Optional<String> pool, Optional<String> pendingAction) {
        this(agentId, host, state, slots, running, lastHeartbeat, labels, completedTasks, silentFor, pool,
                pendingAction, Optional.empty());
    }

    /** An agent with nothing known about silence, pool or pending actions (from an older coordinator). */
    public AgentStatus(String agentId, String host, String state, int slots, int running,
                       Instant lastHeartbeat, Map<String, String> labels, long completedTasks) {
        this(agentId, host, state, slots, running, lastHeartbeat, labels, completedTasks, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
