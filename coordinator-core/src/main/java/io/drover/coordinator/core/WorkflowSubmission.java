package io.drover.coordinator.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accepts a workflow in one core turn, so its jobs reach the store in one group commit: every job
 * is checked first ({@link WorkflowGraph}), then each is accepted upstream first with its names
 * rewritten to the job ids just given. A retry with the same idempotency keys gets the same jobs;
 * should a failover have cut a large workflow's commit short (one turn's facts span ZooKeeper
 * transactions only beyond the transaction budget), the retry accepts the jobs still missing.
 */
final class WorkflowSubmission {
    private final JobLifecycle jobs;

    WorkflowSubmission(JobLifecycle jobs) {
        this.jobs = jobs;
    }

    void submit(Event.SubmitWorkflow e, Effects out) {
        WorkflowGraph.Ordered ordered = WorkflowGraph.order(e.jobs(), id -> jobs.get(id) != null);
        if (ordered.refusal() != null) {
            out.reply(e.requestId(), new Response.Rejected(ordered.refusal()));
            return;
        }
        Map<String, String> ids = new LinkedHashMap<>();
        int known = 0;
        for (WorkflowJob j : ordered.jobs()) {
            String existing = jobs.jobIdForKey(j.definition().owner(), j.definition().idempotencyKey());
            if (existing != null) {
                Job held = jobs.get(existing);
                JobDefinition asSent = rewrite(j.definition(), ids);
                if (held != null && !held.def.sameSpecAs(asSent)) {
                    out.reply(e.requestId(), new Response.Rejected("idempotency key '" + j.definition().idempotencyKey()
                            + "' of workflow job '" + j.ref() + "' was used for job " + existing
                            + " with a different spec; a retry must send the same workflow, a new one new keys"));
                    return;
                }
                ids.put(j.ref(), existing);
                known++;
            } else {
                ids.put(j.ref(), null); // given below; keeps the reply in acceptance order
            }
        }
        for (WorkflowJob j : ordered.jobs()) {
            if (ids.get(j.ref()) == null) {
                String jobId = jobs.nextJobId();
                ids.put(j.ref(), jobId);
                jobs.accept(rewrite(j.definition(), ids), jobId, e.nowMs(), out);
            }
        }
        out.reply(e.requestId(), new Response.WorkflowSubmitted(ids, known == ordered.jobs().size()));
        jobs.evictFinishedJobs();
    }

    /** The definition with dependencies on workflow names turned into the ids of those jobs. */
    static JobDefinition rewrite(JobDefinition d, Map<String, String> ids) {
        if (d.dependencies().isEmpty()) {
            return d;
        }
        List<Dependency> deps = new ArrayList<>(d.dependencies().size());
        for (Dependency dep : d.dependencies()) {
            String id = ids.get(dep.jobId());
            deps.add(id == null ? dep : new Dependency(id, dep.condition()));
        }
        return d.withDependencies(deps, d.onUpstreamFailure());
    }
}
