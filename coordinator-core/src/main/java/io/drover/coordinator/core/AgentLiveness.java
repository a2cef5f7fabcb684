package io.drover.coordinator.core;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The agents the leader knows and whether each is alive: registration, being heard from,
 * a dropped connection, and silence on the clock (ALIVE → SUSPECT: no new work; → LOST: its work
 * moves as its pool's policy and its jobs' overrides say). Leaving ALIVE is made durable
 * ({@link Fact.AgentSilent}) so a new leader leaves the agent's work alone just as long.
 */
final class AgentLiveness {
    private final SchedulerConfig config;
    private final Deadlines deadlines;
    private final Map<String, AgentRecord> agents = new LinkedHashMap<>();
    /**
     * How many accept work, or -1 when a state or drain flag may have changed since it was counted:
     * the assigner asks on every heartbeat while tasks wait, and counting 10,000 agents each time
     * made a heartbeat cost O(agents). Whoever changes a state or a drain flag calls {@link #invalidate}.
     */
    private long accepting = -1;

    AgentLiveness(SchedulerConfig config, Deadlines deadlines) {
        this.config = config;
        this.deadlines = deadlines;
    }

    AgentRecord get(String agentId) {
        return agents.get(agentId);
    }

    Map<String, AgentRecord> byId() {
        return agents;
    }

    Collection<AgentRecord> all() {
        return agents.values();
    }

    void add(AgentRecord agent) {
        agents.put(agent.id, agent);
        invalidate();
    }

    void remove(AgentRecord agent) {
        agents.remove(agent.id);
        invalidate();
    }

    long acceptingWork() {
        if (accepting < 0) {
            long n = 0;
            for (AgentRecord a : agents.values()) {
                n += a.acceptsWork() ? 1 : 0;
            }
            accepting = n;
        }
        return accepting;
    }

    /** An agent's state or drain flag changed: count again when next asked. */
    void invalidate() {
        accepting = -1;
    }

    void register(Event.RegisterAgent e, AttemptLedger ledger, Recovery recovery, Effects out) {
        invalidate();
        AgentRecord agent = agents.get(e.agentId());
        if (agent == null || agent.slots != e.slots() || !agent.labels.equals(e.labels())
                || !Objects.equals(agent.host, e.host())) {
            out.persist(new Fact.AgentRegistered(e.agentId(), e.host(), e.slots(), e.labels()));
        }
        if (agent == null) {
            agent = new AgentRecord(e.agentId(), e.host(), e.slots(), e.labels(), e.nowMs());
            agents.put(e.agentId(), agent);
            agent.softwareVersion = e.softwareVersion();
        } else {
            recovery.heardFrom(agent);
            // A registration means the agent (re)started: what we thought it ran is gone.
            ledger.releaseAll(agent);
            heardAgain(agent, out);
            agent.host = e.host();
            agent.slots = e.slots();
            agent.labels = Map.copyOf(e.labels());
            agent.softwareVersion = e.softwareVersion();
            agent.state = AgentState.ALIVE;
            agent.lastSeenMs = e.nowMs();
        }
        agent.memoryMb = e.memoryMb();
        agent.cachedArtifacts.clear();
        int from = Math.max(0, e.cachedArtifacts().size() - AgentRecord.MAX_CACHED_ARTIFACTS);
        e.cachedArtifacts().subList(from, e.cachedArtifacts().size()).forEach(agent::noteArtifact);
        out.reply(e.requestId(), new Response.Registered(e.agentId()));
    }

    /** A heartbeat came: the agent is ALIVE from now on. */
    void heard(AgentRecord agent, long now, Effects out) {
        if (agent.state != AgentState.ALIVE) {
            invalidate();
            out.note("agent " + agent.id + " ALIVE again (was " + agent.state + ", silent " + (now - agent.lastSeenMs)
                    + " ms" + (agent.attempts.isEmpty() ? "" : ", " + agent.attempts.size() + " attempts still its own") + ")");
        }
        agent.lastSeenMs = now;
        agent.disconnectedAtMs = 0;
        agent.nextRequeueAtMs = 0;
        agent.requeuedWhenLost = 0;
        agent.state = AgentState.ALIVE;
        heardAgain(agent, out);
    }

    /** One of its connections closed: LOST after the pool's disconnect grace unless it is heard from. */
    void connectionClosed(AgentRecord agent, long now, AttemptLedger ledger, Effects out) {
        invalidate();
        agent.disconnectedAtMs = now;
        agent.nextRequeueAtMs = 0;
        if (agent.state == AgentState.ALIVE) {
            agent.state = AgentState.SUSPECT;
            out.note("agent " + agent.id + " SUSPECT: a connection closed; lost unless it is back within "
                    + deadlines.policy(agent).disconnectGraceMs() + " ms");
            wentSilent(agent, ledger, out);
        }
    }

    /**
     * Moves silent agents on: SUSPECT, then LOST, and re-queues attempts as they fall due. A parked
     * agent is not silent (its poll is open); {@link PollParking} handles it.
     */
    void tick(long now, AttemptLedger ledger, Effects out) {
        invalidate(); // silence moves agents on
        for (AgentRecord agent : agents.values()) {
            if (!agent.isParked()) {
                checkSilence(agent, now, ledger, out);
            }
        }
    }

    private void checkSilence(AgentRecord agent, long now, AttemptLedger ledger, Effects out) {
        long silent = now - agent.lastSeenMs;
        if (agent.state != AgentState.LOST && now >= deadlines.lostAt(agent)) {
            boolean byDisconnect = deadlines.lostByDisconnect(agent);
            AgentState was = agent.state;
            agent.state = AgentState.LOST;
            int requeued = ledger.requeueDue(agent, now, deadlines);
            agent.requeuedWhenLost = requeued;
            if (was == AgentState.ALIVE) {
                wentSilent(agent, ledger, out);
            }
            out.note("agent " + agent.id + " LOST (" + (byDisconnect ? "connection dropped "
                    + (now - agent.disconnectedAtMs) + " ms ago" : "silent for " + silent + " ms")
                    + "): " + requeued + " attempts re-queued"
                    + (agent.attempts.isEmpty() ? "" : ", " + agent.attempts.size() + " left alone longer by their job's lost-after override"));
        } else if (agent.state == AgentState.ALIVE && silent >= config.suspectAfterMs()) {
            agent.state = AgentState.SUSPECT;
            out.note("agent " + agent.id + " SUSPECT: silent for " + silent + " ms, no new work"
                    + (agent.attempts.isEmpty() ? "" : "; its " + agent.attempts.size() + " attempts are left alone"));
            wentSilent(agent, ledger, out);
        }
        if (agent.state != AgentState.ALIVE && !agent.attempts.isEmpty() && now >= agent.nextRequeueAtMs) {
            int requeued = ledger.requeueDue(agent, now, deadlines);
            if (requeued > 0) {
                out.note("agent " + agent.id + " " + agent.state + " (silent for " + silent + " ms): " + requeued
                        + " attempts re-queued by their job's lost-after override, " + agent.attempts.size() + " left");
            }
        }
    }

    /** The agent stopped being ALIVE: what it runs is recorded, so a new leader leaves it alone too. */
    private void wentSilent(AgentRecord agent, AttemptLedger ledger, Effects out) {
        agent.nextRequeueAtMs = 0;
        if (agent.attempts.isEmpty()) {
            return;
        }
        out.persist(new Fact.AgentSilent(agent.id, agent.lastSeenMs, ledger.held(agent)));
        agent.silenceRecorded = true;
    }

    private void heardAgain(AgentRecord agent, Effects out) {
        if (agent.silenceRecorded) {
            agent.silenceRecorded = false;
            out.persist(new Fact.AgentHeard(agent.id));
        }
    }
}
