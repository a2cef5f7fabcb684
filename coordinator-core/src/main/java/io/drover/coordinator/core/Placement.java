package io.drover.coordinator.core;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Pull-driven placement: an agent with free slots asks, and the queue is matched against it.
 * Filter (can this agent run this job's next task at all: its owner's quota, slots, memory, label
 * constraints, spread balance?) then score (which feasible job goes first: the owner furthest below
 * its fair share, then priority, then a job whose artifact the agent already holds, then the oldest
 * job). Priority orders an owner's own jobs; it does not let one owner take another's share.
 * Scorers never reject; filters never rank. One instance serves one agent's ask.
 */
final class Placement {
    private final Collection<AgentRecord> agents;
    /** Per spread job: the spread values of agents that could take one of its tasks now. */
    private final Map<Job, Set<String>> openSpreadValues = new HashMap<>();

    Placement(Collection<AgentRecord> agents) {
        this.agents = agents;
    }

    /** Why a job cannot go to an agent, or null when it can (ignoring spread balance). */
    static String infeasibility(Job job, AgentRecord agent) {
        if (job.readyCount() == 0) {
            return "no ready task";
        }
        if (job.def.slotsPerTask() > agent.freeSlots()) {
            return "needs " + job.def.slotsPerTask() + " slots, agent has " + agent.freeSlots() + " free";
        }
        return staticMismatch(job.def, agent);
    }

    /** What in the agent's fixed properties (labels, memory) rules the job out, or null. */
    static String staticMismatch(JobDefinition def, AgentRecord agent) {
        for (Map.Entry<String, String> required : def.requiredLabels().entrySet()) {
            if (!required.getValue().equals(agent.labels.get(required.getKey()))) {
                return "agent lacks label " + required.getKey() + "=" + required.getValue();
            }
        }
        for (Constraint c : def.constraints()) {
            if (!c.test(agent.labels)) {
                return "agent fails constraint " + c;
            }
        }
        if (def.memoryMb() > 0 && agent.memoryMb > 0 && def.memoryMb() > agent.memoryMb) {
            return "needs " + def.memoryMb() + " MB, agent offers " + agent.memoryMb;
        }
        return null;
    }

    /** The best feasible job for {@code agent}, or null. */
    Job pick(Collection<Job> runnable, AgentRecord agent, Quotas quotas) {
        Job best = null;
        for (Job job : runnable) {
            if (quotas.atCap(job.def.owner()) || infeasibility(job, agent) != null || !spreadAllows(job, agent)) {
                continue;
            }
            if (best == null || better(job, best, agent, quotas)) {
                best = job;
            }
        }
        return best;
    }

    /**
     * A spread job's next task goes to an agent only if the agent's value of the spread label runs
     * no more of the job's tasks than the least-loaded value that some agent could take a task
     * for now: values whose agents are all full or gone do not hold the others back.
     */
    private boolean spreadAllows(Job job, AgentRecord agent) {
        String mine = job.spreadValueOf(agent);
        if (mine == null) {
            return true;
        }
        int own = job.runningWithSpread(mine);
        if (own == 0) {
            return true;
        }
        for (String value : openSpreadValues.computeIfAbsent(job, this::openValues)) {
            if (job.runningWithSpread(value) < own) {
                return false;
            }
        }
        return true;
    }

    private Set<String> openValues(Job job) {
        Set<String> open = new HashSet<>();
        for (AgentRecord a : agents) {
            if (a.acceptsWork() && a.freeSlots() >= job.def.slotsPerTask() && staticMismatch(job.def, a) == null) {
                open.add(job.spreadValueOf(a));
            }
        }
        return open;
    }

    private static boolean better(Job a, Job b, AgentRecord agent, Quotas quotas) {
        int share = quotas.compareShare(a.def.owner(), b.def.owner());
        if (share != 0) {
            return share < 0;
        }
        if (a.def.priority() != b.def.priority()) {
            return a.def.priority() > b.def.priority();
        }
        boolean ha = agent.holdsArtifact(a.def.artifactSha256());
        boolean hb = agent.holdsArtifact(b.def.artifactSha256());
        if (ha != hb) {
            return ha;
        }
        return a.order < b.order;
    }
}
