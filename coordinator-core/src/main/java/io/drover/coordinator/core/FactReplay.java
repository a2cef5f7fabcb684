package io.drover.coordinator.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds durable facts, in the order they were written, into the jobs a new leader recovers.
 * The first committed result of a task wins, as it did when it was written.
 */
public final class FactReplay {
    private final Map<String, JobFacts> jobs = new LinkedHashMap<>();
    private final Map<String, RecoveredAgent> agents = new LinkedHashMap<>();
    private final List<ScheduleChange> schedules = new ArrayList<>();
    private final Map<String, Quota> quotas = new LinkedHashMap<>();
    private int orphans;

    private static final class JobFacts {
        JobDefinition def;
        final Map<Integer, byte[]> committed = new HashMap<>();
        final Map<Integer, ResultBlob> committedBlobs = new HashMap<>();
        final Map<Integer, String> failed = new HashMap<>();
        final Map<Integer, Integer> attempts = new HashMap<>();
        final Map<Integer, Fact.TaskRetried> retries = new HashMap<>();
        Fact.JobEnded end;
        String resultCodec;
    }

    public void apply(Fact f) {
        if (f instanceof Fact.ScheduleChanged s) {
            schedules.add(s.change());
            return;
        }
        if (f instanceof Fact.QuotaSet q) {
            quotas.put(q.quota().owner(), q.quota());
            return;
        }
        if (f instanceof Fact.QuotaRemoved q) {
            quotas.remove(q.owner());
            return;
        }
        if (f instanceof Fact.AgentRegistered r) {
            // A (re)registration means the agent started afresh: a recorded silence no longer applies.
            agents.put(r.agentId(), new RecoveredAgent(r.agentId(), r.host(), r.slots(), r.labels()));
            return;
        }
        if (f instanceof Fact.AgentForgotten g) {
            agents.remove(g.agentId());
            return;
        }
        if (f instanceof Fact.AgentSilent s) {
            agents.computeIfPresent(s.agentId(), (id, a) -> a.silent(s.silentSinceMs(), s.attempts()));
            return;
        }
        if (f instanceof Fact.AgentHeard h) {
            agents.computeIfPresent(h.agentId(), (id, a) -> a.silent(0, List.of()));
            return;
        }
        if (f instanceof Fact.JobAccepted a) {
            jobs.computeIfAbsent(f.jobId(), k -> new JobFacts()).def = a.definition();
            return;
        }
        JobFacts j = jobs.get(f.jobId());
        if (j == null) {
            orphans++;
            return;
        }
        if (f instanceof Fact.TaskCommitted c) {
            if (j.committed.putIfAbsent(c.task(), c.value()) == null && c.blob() != null) {
                j.committedBlobs.put(c.task(), c.blob());
            }
            j.attempts.merge(c.task(), c.attempts(), Math::max);
        } else if (f instanceof Fact.TaskFailed t) {
            j.failed.putIfAbsent(t.task(), t.error());
            j.attempts.merge(t.task(), t.attempts(), Math::max);
        } else if (f instanceof Fact.TaskRetried r) {
            j.attempts.merge(r.task(), r.attempts(), Math::max);
            j.retries.merge(r.task(), r, (old, now) -> now.attempts() >= old.attempts() ? now : old);
        } else if (f instanceof Fact.JobResultCodec c && j.resultCodec == null) {
            j.resultCodec = c.codec();
        } else if (f instanceof Fact.JobEnded e && j.end == null) {
            j.end = e;
        }
    }

    /** Facts that named a job with no accepted definition (should be none). */
    public int orphans() {
        return orphans;
    }

    public List<RecoveredJob> jobs() {
        List<RecoveredJob> out = new ArrayList<>(jobs.size());
        jobs.values().forEach(j -> out.add(new RecoveredJob(j.def, j.committed, j.failed, j.end, j.attempts, j.retries,
                j.resultCodec, j.committedBlobs)));
        return out;
    }

    public List<RecoveredAgent> agents() {
        return List.copyOf(agents.values());
    }

    public RecoveredState state() {
        return new RecoveredState(jobs(), agents(), schedules, List.copyOf(quotas.values()));
    }

    public static List<RecoveredJob> replay(List<Fact> facts) {
        return replayState(facts).jobs();
    }

    public static RecoveredState replayState(List<Fact> facts) {
        FactReplay r = new FactReplay();
        facts.forEach(r::apply);
        return r.state();
    }
}
