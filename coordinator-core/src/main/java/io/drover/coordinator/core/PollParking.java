package io.drover.coordinator.core;

import io.drover.coordinator.core.Response.Assignment;
import io.drover.coordinator.core.Response.HeartbeatAnswer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Long-poll parking: a heartbeat with nothing to answer waits (as a request id, no thread) until
 * work or a cancel is there for its agent, the shell wakes it, a newer poll supersedes it, or its
 * deadline passes. An agent with an open poll counts as heard from up to now.
 */
final class PollParking {
    private final Set<AgentRecord> parked = new LinkedHashSet<>();
    /**
     * Parked polls by deadline, so expiry costs the expired polls, not a walk over every agent, and the
     * shell can wake exactly at the earliest one. Entries of polls answered before their deadline stay
     * until they surface (checked against the agent's parked request) or a rebuild drops them.
     */
    private final PriorityQueue<Deadline> byDeadline = new PriorityQueue<>();
    private final Deadlines deadlines;
    private final AgentLiveness agents;
    private final AttemptLedger ledger;
    private final ReadyQueue ready;
    private final Assigner assigner;
    private final EarlyReplies early;
    /** {@link ReadyQueue#added()} at the last scan of every parked poll. */
    private long readyAddedSeen = -1;
    /** Whether the recovery window held assignments back at the last event. */
    private boolean wasHolding = true;

    PollParking(Deadlines deadlines, AgentLiveness agents, AttemptLedger ledger, ReadyQueue ready, Assigner assigner,
                EarlyReplies early) {
        this.early = early;
        this.deadlines = deadlines;
        this.agents = agents;
        this.ledger = ledger;
        this.ready = ready;
        this.assigner = assigner;
    }

    /** Parks the poll until {@code deadlineMs}; a poll the agent had parked before is answered empty. */
    void park(AgentRecord agent, long requestId, long deadlineMs, Effects out) {
        if (agent.isParked()) {
            unpark(agent, HeartbeatAnswer.EMPTY, out); // a newer poll supersedes it
        }
        agent.parkedRequest = requestId;
        agent.parkedDeadlineMs = deadlineMs;
        parked.add(agent);
        if (byDeadline.size() > 2 * parked.size() + 1024) { // mostly polls answered early: bounded by a rebuild
            byDeadline.clear();
            parked.forEach(a -> byDeadline.add(new Deadline(a.parkedDeadlineMs, a.parkedRequest, a)));
        } else {
            byDeadline.add(new Deadline(deadlineMs, requestId, agent));
        }
    }

    /** The earliest deadline of a parked poll, or {@link Long#MAX_VALUE} when none is parked. */
    long nextDeadlineMs() {
        while (!byDeadline.isEmpty() && !byDeadline.peek().current()) {
            byDeadline.poll();
        }
        return byDeadline.isEmpty() ? Long.MAX_VALUE : byDeadline.peek().deadlineMs();
    }

    /** Answers (empty) every parked poll whose deadline has come. */
    void expire(long now, Effects out) {
        while (nextDeadlineMs() <= now) {
            unpark(byDeadline.poll().agent(), HeartbeatAnswer.EMPTY, out);
        }
    }

    /** Answers the agent's parked poll, if it has one. */
    void answerIfParked(AgentRecord agent, HeartbeatAnswer answer, Effects out) {
        if (agent.isParked()) {
            unpark(agent, answer, out);
        }
    }

    /** Answers the agent's parked poll now (with any work for it), else marks its next poll to be answered at once. */
    void wake(Event.WakeAgent e, Effects out) {
        AgentRecord agent = agents.get(e.agentId());
        if (agent == null) {
            return;
        }
        if (agent.isParked()) {
            unpark(agent, new HeartbeatAnswer(assigner.assign(agent, e.nowMs()), ledger.drainCancels(agent), List.of(), false), out);
        } else {
            agent.wakeRequested = true;
        }
    }

    /**
     * After each event: parked agents that now have work or cancels get them. A parked poll can
     * become answerable only when the ready queue gains tasks, the recovery window closes, or the
     * agent's own state changes (the ledger's {@code changed} agents); only the first two look at
     * every parked poll, so a heartbeat costs the same with 10 agents or 10,000 parked.
     */
    void wakeParked(long now, Effects out) {
        List<AgentRecord> changed = ledger.takeChanged();
        if (parked.isEmpty()) {
            return;
        }
        boolean holding = assigner.holding(now);
        boolean scanAll = ready.added() != readyAddedSeen || wasHolding && !holding;
        wasHolding = holding;
        List<AgentRecord> candidates = new ArrayList<>();
        if (scanAll) {
            readyAddedSeen = ready.added();
            if (!ready.isEmpty() && !holding) {
                for (AgentRecord agent : parked) {
                    if (agent.freeSlots() > 0 && agent.acceptsWork()) {
                        candidates.add(agent);
                    }
                }
            }
        }
        candidates.addAll(changed);
        for (AgentRecord agent : candidates) {
            if (!agent.isParked()) {
                continue; // not parked, or answered already as a candidate twice over
            }
            if (agent.pendingCancels.isEmpty() && (ready.isEmpty() || agent.freeSlots() == 0)) {
                continue;
            }
            List<Assignment> assignments = assigner.assign(agent, now);
            List<Long> cancels = ledger.drainCancels(agent);
            if (!assignments.isEmpty() || !cancels.isEmpty()) {
                unpark(agent, new HeartbeatAnswer(assignments, cancels, List.of(), false,
                        deadlines.policy(agent).offlineStopAfterMs()), out);
            }
        }
    }

    /**
     * A straggler may be backed up: parked agents with free slots are offered work (first attempts,
     * then backups) until no straggler is left without a backup.
     */
    void offerBackups(long now, java.util.function.BooleanSupplier stragglersLeft, Effects out) {
        for (AgentRecord agent : List.copyOf(parked)) {
            if (agent.freeSlots() == 0 || !agent.acceptsWork()) {
                continue;
            }
            List<Assignment> assignments = assigner.assign(agent, now);
            if (!assignments.isEmpty()) {
                unpark(agent, new HeartbeatAnswer(assignments, ledger.drainCancels(agent), List.of(), false,
                        deadlines.policy(agent).offlineStopAfterMs()), out);
                if (!stragglersLeft.getAsBoolean()) {
                    return;
                }
            }
        }
    }

    /** On the clock: a parked agent is heard from up to now; polls past their deadline are answered empty. */
    void tick(long now, Effects out) {
        for (AgentRecord agent : parked) {
            agent.lastSeenMs = Math.max(agent.lastSeenMs, Math.min(now, agent.parkedDeadlineMs));
        }
        expire(now, out);
    }

    private void unpark(AgentRecord agent, HeartbeatAnswer answer, Effects out) {
        if (answer.offlineStopAfterMs() < 0 && !answer.reRegister()) {
            answer = new HeartbeatAnswer(answer.assignments(), answer.cancelAttempts(), answer.ackedAttempts(), false,
                    deadlines.policy(agent).offlineStopAfterMs());
        }
        early.answer(agent.parkedRequest, answer, out); // work alone need not wait for the commit
        agent.parkedRequest = -1;
        parked.remove(agent);
    }

    /** A parked poll's deadline; {@code current} while the agent still waits on that very poll. */
    private record Deadline(long deadlineMs, long requestId, AgentRecord agent) implements Comparable<Deadline> {
        boolean current() {
            return agent.parkedRequest == requestId;
        }

        @Override
        public int compareTo(Deadline o) {
            return Long.compare(deadlineMs, o.deadlineMs);
        }
    }
}
