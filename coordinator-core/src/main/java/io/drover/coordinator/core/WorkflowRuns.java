package io.drover.coordinator.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fires of a schedule that runs a workflow: every job of the workflow is accepted in the
 * fire's core turn (so in the group commit that also records the fire), each with the idempotency
 * key {@code FIREKEY/NAME} and, upstream first, with its dependencies rewritten to the job ids of
 * the same fire. A replayed fire finds every key and starts nothing.
 */
final class WorkflowRuns {
    private WorkflowRuns() {
    }

    /** Why a schedule's workflow cannot run, or null: dependencies may only name jobs of the workflow. */
    static String refusal(List<WorkflowJob> workflow) {
        return WorkflowGraph.order(workflow, id -> false).refusal();
    }

    /** Starts (or finds, on a replay) one fire's jobs; name in the workflow → job id, upstream first. */
    static Map<String, String> submit(JobLifecycle jobs, ScheduleDefinition s, String runId, String fireKey, long nowMs,
                                      Effects out) {
        WorkflowGraph.Ordered ordered = WorkflowGraph.order(s.workflow(), id -> false);
        if (ordered.refusal() != null) { // checked when the schedule was added; the definition never changes
            throw new IllegalStateException("schedule " + s.id() + ": " + ordered.refusal());
        }
        Map<String, String> ids = new LinkedHashMap<>();
        for (WorkflowJob j : ordered.jobs()) {
            JobDefinition run = WorkflowSubmission.rewrite(j.definition().asRun(s.id() + "." + j.ref(),
                    fireKey + "/" + j.ref()), ids);
            ids.put(j.ref(), jobs.submitRun(run, runId + "." + j.ref().replaceAll("[^A-Za-z0-9._-]", "_"), nowMs, out));
        }
        return ids;
    }

    /** The job id of the fire's first job if the fire was accepted before (its key was seen), else null. */
    static String existing(JobLifecycle jobs, ScheduleDefinition s, String fireKey) {
        WorkflowJob first = WorkflowGraph.order(s.workflow(), id -> false).jobs().get(0);
        return jobs.jobIdForKey(first.definition().owner(), fireKey + "/" + first.ref());
    }

    /**
     * How a workflow run ended, once none of its jobs runs (null while one does): the worst end of
     * its jobs. A job the core no longer holds ended long ago and counts as succeeded; a failure
     * upstream still shows in its dependants (failed or skipped).
     */
    static JobState outcome(List<String> jobIds, JobLifecycle jobs) {
        JobState worst = JobState.SUCCEEDED;
        for (String id : jobIds) {
            Job job = jobs.byId().get(id);
            if (job == null) {
                continue;
            }
            if (!job.state.isTerminal()) {
                return null;
            }
            if (rank(job.state) > rank(worst)) {
                worst = job.state;
            }
        }
        return worst;
    }

    private static int rank(JobState s) {
        return switch (s) {
            case FAILED -> 3;
            case CANCELLED -> 2;
            case SKIPPED -> 1;
            default -> 0;
        };
    }
}
