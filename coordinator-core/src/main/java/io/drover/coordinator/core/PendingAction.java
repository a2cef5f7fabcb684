package io.drover.coordinator.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happens next to an agent's work, per its pool's disconnect policy and its jobs' overrides,
 * as values: the coordinator turns them into the line an operator reads in the agents view. Null
 * (no value) when nothing is pending: an ALIVE agent not draining. Pure: "now" comes in.
 *
 * @param kind why anything is pending
 * @param attempts the attempts the agent holds now
 * @param requeuedWhenLost attempts re-queued when it became LOST (0 unless {@code kind} is LOST)
 * @param heldByPool held attempts that wait for the pool's LOST time, then run elsewhere
 * @param lostInMs time until the pool's LOST time (negative when past)
 * @param lostByDisconnect the LOST time comes from the grace after a dropped connection
 * @param overrides held attempts whose job overrides the silence bound, one group per re-queue time, earliest first
 */
public record PendingAction(Kind kind, int attempts, int requeuedWhenLost, int heldByPool, long lostInMs,
                            boolean lostByDisconnect, List<JobOverride> overrides) {
    public enum Kind {
        /** ALIVE but draining: its attempts finish there, it gets no new work. */
        DRAINING,
        SUSPECT,
        LOST
    }

    /**
     * Attempts re-queued {@code requeueInMs} from now by their job's silence bound {@code lostAfterMs}.
     * {@code firstJobId} names one job of the group; {@code moreJobs}: the group holds others too.
     */
    public record JobOverride(int attempts, long requeueInMs, String firstJobId, boolean moreJobs, long lostAfterMs) {
    }

    public PendingAction {
        overrides = List.copyOf(overrides);
    }

    static PendingAction of(AgentRecord agent, List<JobDefinition> attemptJobs, Deadlines deadlines, long now) {
        int held = attemptJobs.size();
        if (agent.state == AgentState.ALIVE) {
            return agent.draining() ? new PendingAction(Kind.DRAINING, held, 0, 0, 0, false, List.of()) : null;
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
        List<JobOverride> overrides = new ArrayList<>();
        byOverride.forEach((at, jobs) -> overrides.add(new JobOverride(jobs.size(), at - now, jobs.get(0).jobId(),
                jobs.stream().map(JobDefinition::jobId).distinct().count() > 1, jobs.get(0).lostAfterMs())));
        boolean lost = agent.state == AgentState.LOST;
        return new PendingAction(lost ? Kind.LOST : Kind.SUSPECT, held, lost ? agent.requeuedWhenLost : 0, byPool,
                deadlines.lostAt(agent) - now, deadlines.lostByDisconnect(agent), overrides);
    }
}
