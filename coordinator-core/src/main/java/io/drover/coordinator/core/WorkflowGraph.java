package io.drover.coordinator.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks a workflow before anything of it is accepted: names unique, every dependency names a job
 * of the workflow or a job the core knows, no cycle. Its answer is the jobs in an order where each
 * comes after every job of the workflow it depends on, or why the workflow is refused (a cycle is
 * named hop by hop).
 */
final class WorkflowGraph {
    /** The most jobs one workflow may submit: bounds the facts of one group commit. */
    static final int MAX_JOBS = 256;

    record Ordered(List<WorkflowJob> jobs, String refusal) {
    }

    private WorkflowGraph() {
    }

    static Ordered order(List<WorkflowJob> jobs, Predicate<String> knownJob) {
        if (jobs.isEmpty()) {
            return refused("a workflow needs at least one job");
        }
        if (jobs.size() > MAX_JOBS) {
            return refused("a workflow may hold at most " + MAX_JOBS + " jobs, this one has " + jobs.size());
        }
        Map<String, WorkflowJob> byRef = new HashMap<>();
        Set<String> keys = new HashSet<>();
        for (WorkflowJob j : jobs) {
            if (j.ref().isBlank()) {
                return refused("every job of a workflow needs a name");
            }
            if (byRef.putIfAbsent(j.ref(), j) != null) {
                return refused("job name '" + j.ref() + "' is used twice in the workflow");
            }
            if (!keys.add(j.definition().idempotencyKey())) {
                return refused("idempotency key '" + j.definition().idempotencyKey() + "' is used twice in the workflow");
            }
        }
        for (WorkflowJob j : jobs) {
            Set<String> seen = new HashSet<>();
            for (Dependency d : j.definition().dependencies()) {
                if (!seen.add(d.jobId())) {
                    return refused("job '" + j.ref() + "' names '" + d.jobId() + "' twice");
                }
                if (!byRef.containsKey(d.jobId()) && !knownJob.test(d.jobId())) {
                    return refused("job '" + j.ref() + "' depends on '" + d.jobId()
                            + "', which is neither a job of this workflow nor a known job id");
                }
            }
        }
        List<WorkflowJob> order = new ArrayList<>(jobs.size());
        Map<String, Integer> mark = new HashMap<>(); // 1: on the current path, 2: done
        for (WorkflowJob j : jobs) {
            List<String> cycle = visit(j, byRef, mark, new ArrayList<>(), order);
            if (cycle != null) {
                return refused("the workflow has a cycle: " + String.join(" -> ", cycle));
            }
        }
        return new Ordered(List.copyOf(order), null);
    }

    /** Depth-first, upstream jobs first; returns the cycle's names when one is found. Depth is bounded by MAX_JOBS. */
    private static List<String> visit(WorkflowJob j, Map<String, WorkflowJob> byRef, Map<String, Integer> mark,
                                      List<String> path, List<WorkflowJob> order) {
        Integer m = mark.get(j.ref());
        if (m != null && m == 2) {
            return null;
        }
        if (m != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(j.ref()), path.size()));
            cycle.add(j.ref());
            return cycle;
        }
        mark.put(j.ref(), 1);
        path.add(j.ref());
        for (Dependency d : j.definition().dependencies()) {
            WorkflowJob up = byRef.get(d.jobId());
            if (up != null) {
                List<String> cycle = visit(up, byRef, mark, path, order);
                if (cycle != null) {
                    return cycle;
                }
            }
        }
        path.remove(path.size() - 1);
        mark.put(j.ref(), 2);
        order.add(j);
        return null;
    }

    private static Ordered refused(String why) {
        return new Ordered(List.of(), why);
    }
}
