package io.drover.coordinator.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happens next to an agent's work, per its pool's disconnect policy and its jobs' overrides,
 * as one line an operator reads in {@code drover agents}:
 * <pre>
 *  SUSPECT: "3 attempts left alone until LOST in 1h55m, then re-run elsewhere"
 *  mixed:   "3 attempts left alone: 2 until LOST in 1h55m, then re-run elsewhere; 1 until re-run elsewhere in 12m (job j1-4 --lost-after 20m)"
 *  LOST:    "2 attempts re-run elsewhere"
 *  DRAINING: "2 attempts finish here, no new work"
 * </pre>
 * Null when nothing is pending (an ALIVE agent not draining). Pure: "now" comes in.
 */
final class PendingAction {
    private PendingAction() {
    }

    static String describe(AgentRecord agent, List<JobDefinition> attemptJobs, Deadlines deadlines, long now) {
        if (agent.state == AgentState.ALIVE) {
            if (!agent.draining()) {
                return null;
            }
            return attemptJobs.isEmpty() ? "no attempts here, safe to stop"
                    : attempts(attemptJobs.size()) + " finish here, no new work";
        }
        long lostAt = deadlines.lostAt(agent);
        String lostWhy = deadlines.lostByDisconnect(agent) ? " (connection dropped)" : "";
        List<String> parts = new ArrayList<>();
        if (agent.state == AgentState.LOST && agent.requeuedWhenLost > 0) {
            parts.add(attempts(agent.requeuedWhenLost) + " re-run elsewhere");
        }
        int byPool = 0;
        Map<Long, List<JobDefinition>> byOverride = new TreeMap<>();
        for (JobDefinition job : attemptJobs) {
            if (job.lostAfterMs() > 0) {
                byOverride.computeIfAbsent(deadlines.requeueAt(agent, job), k -> new ArrayList<>()).add(job);
            } else {
                byPool++;
            }
        }
        List<String> held = new ArrayList<>();
        if (byPool > 0) {
            held.add(count(byPool, attemptJobs.size()) + "until LOST " + DurationText.in(lostAt - now) + lostWhy
                    + ", then re-run elsewhere");
        }
        byOverride.forEach((at, jobs) -> held.add(count(jobs.size(), attemptJobs.size()) + "until re-run elsewhere "
                + DurationText.in(at - now) + " (job " + jobs.get(0).jobId()
                + (jobs.stream().map(JobDefinition::jobId).distinct().count() > 1 ? " and others" : "")
                + " --lost-after " + DurationText.compact(jobs.get(0).lostAfterMs()) + ")"));
        if (held.size() == 1) {
            parts.add(attempts(attemptJobs.size()) + " left alone " + held.get(0));
        } else if (held.size() > 1) {
            parts.add(attempts(attemptJobs.size()) + " left alone: " + String.join("; ", held));
        }
        if (parts.isEmpty()) {
            parts.add(agent.state == AgentState.LOST ? "no attempts held; gets work again when heard from"
                    : "no attempts held; LOST " + DurationText.in(lostAt - now) + lostWhy);
        }
        return String.join("; ", parts);
    }

    /** The count prefix inside a group list; empty when the group is everything (the total says it). */
    private static String count(int n, int total) {
        return n == total ? "" : n + " ";
    }

    private static String attempts(int n) {
        return n == 1 ? "1 attempt" : n + " attempts";
    }
}
