package io.drover.coordinator.core;

/**
 * When a silent agent's attempts are re-queued: at the pool policy's LOST time (silence bound, or
 * the grace after a dropped connection, whichever comes first), unless the attempt's job overrides
 * the silence bound. The override counts from the agent's last heartbeat and is applied once the
 * agent is no longer ALIVE, so it is never shorter than the suspect threshold in effect. Pure.
 */
final class Deadlines {
    private final SchedulerConfig config;

    Deadlines(SchedulerConfig config) {
        this.config = config;
    }

    DisconnectPolicy policy(AgentRecord agent) {
        return config.policyFor(agent.pool());
    }

    /** When the agent becomes LOST by its pool's policy if nothing is heard from it meanwhile. */
    long lostAt(AgentRecord agent) {
        DisconnectPolicy p = policy(agent);
        long at = agent.lastSeenMs + p.lostAfterMs();
        if (agent.disconnectedAtMs > 0) {
            at = Math.min(at, agent.disconnectedAtMs + p.disconnectGraceMs());
        }
        return at;
    }

    /** Whether the LOST time comes from the grace after a dropped connection rather than from silence. */
    boolean lostByDisconnect(AgentRecord agent) {
        DisconnectPolicy p = policy(agent);
        return agent.disconnectedAtMs > 0 && agent.disconnectedAtMs + p.disconnectGraceMs() < agent.lastSeenMs + p.lostAfterMs();
    }

    /** When an attempt of {@code job} on the (silent) agent is re-queued. */
    long requeueAt(AgentRecord agent, JobDefinition job) {
        return job.lostAfterMs() > 0 ? agent.lastSeenMs + job.lostAfterMs() : lostAt(agent);
    }

    /** How long attempts of {@code job} stay with an agent that does not mention them (see forgetVanishedAttempts). */
    long boundFor(AgentRecord agent, JobDefinition job) {
        return job.lostAfterMs() > 0 ? job.lostAfterMs() : policy(agent).lostAfterMs();
    }
}
