package io.drover.coordinator.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which waiting jobs to look at again when a job ends, and the verdict on one of them. A waiting
 * job is filed under one upstream job that has not ended (the first it finds); when that one
 * ends, the job is judged again and filed under the next, so each end touches only the jobs it
 * may release. A dependant released here starts in the same core turn as its upstream's end;
 * its tasks leave only in replies the shell sends after that turn's facts (the end among them)
 * are committed, so no dependant runs before its upstream's end is durable.
 */
final class Upstreams {
    /** What a waiting job does next. */
    sealed interface Verdict {
        /** Every dependency is satisfied. */
        record Run() implements Verdict {
        }

        /** {@code upstream} has not ended yet. */
        record Wait(String upstream) implements Verdict {
        }

        /** A dependency can no longer be satisfied. */
        record Blocked(String why) implements Verdict {
        }
    }

    private static final Verdict RUN = new Verdict.Run();
    private final Map<String, List<Job>> waitingOn = new HashMap<>();

    /** The verdict on {@code job} given the jobs known now ({@code lookup} returns null for unknown ids). */
    static Verdict judge(JobDefinition job, Function<String, Job> lookup) {
        String waitFor = null;
        for (Dependency d : job.dependencies()) {
            Job up = lookup.apply(d.jobId());
            if (up == null) {
                return new Verdict.Blocked("upstream job " + d.jobId() + " is no longer known");
            }
            if (!up.state.isTerminal()) {
                waitFor = waitFor == null ? d.jobId() : waitFor;
            } else if (!d.satisfiedBy(up.state)) {
                return new Verdict.Blocked("upstream job " + d.jobId() + " '" + up.def.name() + "' ended " + up.state
                        + (up.error == null ? "" : " (" + up.error + ")") + "; this job needed it to succeed");
            }
        }
        return waitFor == null ? RUN : new Verdict.Wait(waitFor);
    }

    void file(Job job, String upstream) {
        waitingOn.computeIfAbsent(upstream, k -> new ArrayList<>()).add(job);
    }

    /** The jobs filed under {@code upstream}, now that it ended; they are no longer filed. */
    List<Job> takeWaitingOn(String upstream) {
        List<Job> out = waitingOn.remove(upstream);
        return out == null ? List.of() : out;
    }

    /** Why a new job's dependencies are refused at submit (unknown, repeated or itself), or null. */
    static String refusal(JobDefinition d, Function<String, Job> lookup) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Dependency dep : d.dependencies()) {
            if (!seen.add(dep.jobId())) {
                return "dependency on job " + dep.jobId() + " is named twice";
            }
            if (lookup.apply(dep.jobId()) == null) {
                return "unknown upstream job " + dep.jobId() + " (no such job, or it finished long ago and was forgotten)";
            }
        }
        return null;
    }
}
