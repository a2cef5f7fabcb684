package io.drover.coordinator.core;

import io.drover.coordinator.core.Response.HeartbeatAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Drives a {@link Scheduler} by hand with a fake clock, recording facts and replies. */
final class CoreHarness {
    long now = 1_000;
    long nextRequest = 1;
    final List<Fact> facts = new ArrayList<>();
    final List<Effects.Reply> replies = new ArrayList<>();
    Scheduler core;

    CoreHarness(SchedulerConfig config) {
        Effects e = new Effects();
        core = new Scheduler(config, 1, List.of(), now, e);
        collect(e);
    }

    static SchedulerConfig config() {
        return new SchedulerConfig(3_000, 10_000, 0, 100, 1_000, 100, 1_000);
    }

    static JobDefinition job(String key, int shards, boolean reduce, int maxAttempts) {
        return new JobDefinition("pending", "test", "alice", key, "JVM", "ab", 10, "x.Job", List.of(), shards,
                List.of(), List.of(), 1, maxAttempts, 0, reduce, 0, Map.of(), 0, 0);
    }

    static JobDefinition job(String owner, String key, int shards, int priority) {
        return new JobDefinition("pending", "test", owner, key, "JVM", "ab", 10, "x.Job", List.of(), shards,
                List.of(), List.of(), 1, 3, 0, false, priority, Map.of(), 0, 0);
    }

    Response apply(Event e) {
        Effects out = new Effects();
        core.apply(e, out);
        collect(out);
        long id = requestIdOf(e);
        return out.replies().stream().filter(r -> r.requestId() == id).map(Effects.Reply::response).findFirst().orElse(null);
    }

    private void collect(Effects out) {
        facts.addAll(out.facts());
        replies.addAll(out.replies());
        assert core == null || core.checkInvariants().isEmpty() : core.checkInvariants();
    }

    String submit(JobDefinition def) {
        return ((Response.Submitted) apply(new Event.SubmitJob(nextRequest++, now, def))).jobId();
    }

    void register(String agent, int slots) {
        apply(new Event.RegisterAgent(nextRequest++, now, agent, "h-" + agent, slots, Map.of()));
    }

    HeartbeatAnswer heartbeat(String agent, List<Event.Report> results) {
        return heartbeat(agent, results, List.of());
    }

    HeartbeatAnswer heartbeat(String agent, List<Event.Report> results, List<Event.RunningAttempt> running) {
        return (HeartbeatAnswer) apply(new Event.Heartbeat(nextRequest++, now, agent, results, running, false, 0));
    }

    /** Heartbeats with maxWait; returns the request id (the answer may come later). */
    long poll(String agent, long maxWaitMs) {
        long id = nextRequest++;
        apply(new Event.Heartbeat(id, now, agent, List.of(), List.of(), false, maxWaitMs));
        return id;
    }

    HeartbeatAnswer answerFor(long requestId) {
        return replies.stream().filter(r -> r.requestId() == requestId).map(r -> (HeartbeatAnswer) r.response())
                .findFirst().orElse(null);
    }

    void tick(long advanceMs) {
        now += advanceMs;
        apply(new Event.Tick(now));
    }

    Response.JobSnapshot job(String jobId) {
        return (Response.JobSnapshot) apply(new Event.Query(nextRequest++, now, Event.QueryKind.JOB, jobId, true, true, 0));
    }

    static Event.Report ok(Response.Assignment a, byte[] value) {
        return new Event.Report(a.attemptId(), a.jobId(), a.task(), Event.Outcome.SUCCEEDED, value, null);
    }

    static Event.Report failed(Response.Assignment a, String error) {
        return new Event.Report(a.attemptId(), a.jobId(), a.task(), Event.Outcome.FAILED, null, error);
    }

    long committedCount(String jobId, int task) {
        return facts.stream().filter(f -> f instanceof Fact.TaskCommitted c && c.jobId().equals(jobId) && c.task() == task).count();
    }

    private static long requestIdOf(Event e) {
        if (e instanceof Event.Heartbeat h) return h.requestId();
        if (e instanceof Event.SubmitJob s) return s.requestId();
        if (e instanceof Event.SubmitWorkflow w) return w.requestId();
        if (e instanceof Event.Query q) return q.requestId();
        if (e instanceof Event.RegisterAgent r) return r.requestId();
        if (e instanceof Event.CancelJob c) return c.requestId();
        if (e instanceof Event.DrainAgent d) return d.requestId();
        if (e instanceof Event.ForgetAgent f) return f.requestId();
        if (e instanceof Event.LocateTask l) return l.requestId();
        if (e instanceof Event.SetQuota q) return q.requestId();
        if (e instanceof Event.RemoveQuota r) return r.requestId();
        return -1;
    }
}
