package io.drover.coordinator.engine;

import io.drover.coordinator.core.Fact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the turns whose group commits are still in flight hold that an early reply may depend on: jobs accepted
 * (an assignment of a job not yet durable must wait for it) and quota changes (they change what may run, so while
 * one is in flight no reply goes early). Only the core loop's thread uses it.
 */
final class UncommittedFacts {
    /** Turns in flight that accepted each job (a retried submit may accept it in one turn only, but count anyway). */
    private final Map<String, Integer> acceptedJobs = new HashMap<>();
    private int quotaTurns;

    /** One turn's share: forgotten when its commit is durable. */
    record Pending(List<String> jobs, boolean quota) {
        static final Pending NONE = new Pending(List.of(), false);
    }

    /** Notes a turn's facts as its commit starts. */
    Pending begin(List<Fact> facts) {
        List<String> jobs = null;
        boolean quota = false;
        for (Fact f : facts) {
            if (f instanceof Fact.JobAccepted a) {
                jobs = jobs == null ? new ArrayList<>() : jobs;
                jobs.add(a.definition().jobId());
                acceptedJobs.merge(a.definition().jobId(), 1, Integer::sum);
            } else if (f instanceof Fact.QuotaSet || f instanceof Fact.QuotaRemoved) {
                quota = true;
            }
        }
        if (quota) {
            quotaTurns++;
        }
        return jobs == null && !quota ? Pending.NONE : new Pending(jobs == null ? List.of() : jobs, quota);
    }

    /** The turn's commit is durable. */
    void durable(Pending p) {
        for (String job : p.jobs()) {
            acceptedJobs.computeIfPresent(job, (k, n) -> n == 1 ? null : n - 1);
        }
        if (p.quota()) {
            quotaTurns--;
        }
    }

    /** Whether a reply that relies on these jobs' definitions may leave now. */
    boolean allowsEarly(Set<String> jobs) {
        if (quotaTurns > 0) {
            return false;
        }
        for (String job : jobs) {
            if (acceptedJobs.containsKey(job)) {
                return false;
            }
        }
        return true;
    }
}
