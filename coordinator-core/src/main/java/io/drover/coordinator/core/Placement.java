package io.drover.coordinator.core;

import java.util.Collection;
import java.util.Map;

/**
 * Pull-driven placement: an agent with free slots asks, and the queue is matched against it.
 * Filter (can this agent run this job's next task at all?) then score (which feasible job goes
 * first: priority, then the owner with the fewest running tasks, then the oldest job).
 * Scorers never reject; filters never rank.
 */
final class Placement {
    private Placement() {
    }

    /** Why a job cannot go to an agent, or null when it can. */
    static String infeasibility(Job job, AgentRecord agent) {
        if (job.readyCount() == 0) {
            return "no ready task";
        }
        if (job.def.slotsPerTask() > agent.freeSlots()) {
            return "needs " + job.def.slotsPerTask() + " slots, agent has " + agent.freeSlots() + " free";
        }
        for (Map.Entry<String, String> required : job.def.requiredLabels().entrySet()) {
            if (!required.getValue().equals(agent.labels.get(required.getKey()))) {
                return "agent lacks label " + required.getKey() + "=" + required.getValue();
            }
        }
        return null;
    }

    /** The best feasible job for {@code agent}, or null. */
    static Job pick(Collection<Job> runnable, AgentRecord agent, Map<String, Integer> runningByOwner) {
        Job best = null;
        for (Job job : runnable) {
            if (infeasibility(job, agent) != null) {
                continue;
            }
            if (best == null || better(job, best, runningByOwner)) {
                best = job;
            }
        }
        return best;
    }

    private static boolean better(Job a, Job b, Map<String, Integer> runningByOwner) {
        if (a.def.priority() != b.def.priority()) {
            return a.def.priority() > b.def.priority();
        }
        int ra = runningByOwner.getOrDefault(a.def.owner(), 0);
        int rb = runningByOwner.getOrDefault(b.def.owner(), 0);
        if (ra != rb) {
            return ra < rb;
        }
        return a.order < b.order;
    }
}
