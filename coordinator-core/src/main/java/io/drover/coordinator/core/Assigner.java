package io.drover.coordinator.core;

import io.drover.coordinator.core.Response.Assignment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pull-driven assignment: an agent that asks gets up to its fair share of the ready tasks (ready
 * count over the agents taking work), job by job as {@link Placement} ranks them (owners' quotas
 * and shares first, see {@link Quotas}); a slot no ready task can use may take a straggler's
 * backup ({@link Backups}). Nothing is assigned while a new
 * leader's recovery window is open.
 */
final class Assigner {
    private final ReadyQueue ready;
    private final AttemptLedger ledger;
    private final AgentLiveness agents;
    private final Recovery recovery;
    private final Quotas quotas;
    private final Backups backups;

    Assigner(ReadyQueue ready, AttemptLedger ledger, AgentLiveness agents, Recovery recovery, Quotas quotas,
             Backups backups) {
        this.quotas = quotas;
        this.backups = backups;
        this.ready = ready;
        this.ledger = ledger;
        this.agents = agents;
        this.recovery = recovery;
    }

    /** Whether a new leader's recovery window still holds every assignment back. */
    boolean holding(long now) {
        return recovery.recovering(now);
    }

    /**
     * First attempts up to the agent's fair share; then, if no ready task of any job fits the agent
     * at all, backups of stragglers on the slots left (first attempts are never held back by them).
     */
    List<Assignment> assign(AgentRecord agent, long now) {
        if (!agent.acceptsWork() || recovery.recovering(now)) {
            return List.of();
        }
        List<Assignment> out = new ArrayList<>();
        boolean nothingFits = true;
        if (!ready.isEmpty()) {
            long eligible = agents.acceptingWork();
            long fairShare = Math.max(1, (ready.size() + eligible - 1) / Math.max(1, eligible));
            Placement placement = new Placement(agents.all());
            nothingFits = false;
            while (out.size() < fairShare) {
                Job job = ready.pick(placement, agent, quotas);
                if (job == null) {
                    nothingFits = true;
                    break;
                }
                Task t = ready.poll(job);
                long attemptId = ledger.start(job, t, agent, now);
                agent.noteArtifact(job.def.artifactSha256()); // it fetches the artifact for this task
                out.add(assignment(job, t, attemptId));
            }
        }
        if (nothingFits && agent.freeSlots() > 0) {
            backups.start(agent, now, out);
        }
        return out;
    }

    static Assignment assignment(Job job, Task t, long attemptId) {
        boolean reduce = job.isReduceTask(t.index);
        String parameter = reduce || job.def.shardParameters().isEmpty() ? null : job.def.shardParameters().get(t.index);
        List<byte[]> inputs = null;
        Map<Integer, ResultBlob> blobs = Map.of();
        if (reduce) {
            inputs = new ArrayList<>(job.def.shardCount());
            for (int i = 0; i < job.def.shardCount(); i++) {
                inputs.add(job.taskValue(i));
                ResultBlob blob = job.taskBlob(i);
                if (blob != null) {
                    blobs = blobs.isEmpty() ? new HashMap<>() : blobs;
                    blobs.put(i, blob);
                }
            }
        }
        return new Assignment(attemptId, job.def.jobId(), t.index, parameter, reduce, inputs, blobs);
    }
}
