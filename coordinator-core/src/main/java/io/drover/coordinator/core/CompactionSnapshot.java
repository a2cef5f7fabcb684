package io.drover.coordinator.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The smallest set of facts that rebuilds today's durable state: what compaction writes in place
 * of the log. Jobs evicted from memory are dropped; finished jobs keep their definition, end and
 * (when small) their shard results, each job apart (see {@link DurableSnapshot}).
 */
final class CompactionSnapshot {
    /** Finished jobs keep their per-shard results through compaction only up to this many bytes. */
    static final long MAX_RETAINED_SHARD_RESULT_BYTES = 1 << 20;

    private CompactionSnapshot() {
    }

    static DurableSnapshot of(Schedules schedules, Quotas quotas, AgentLiveness agents, AttemptLedger ledger,
                              JobLifecycle jobs) {
        List<Fact> out = new ArrayList<>(schedules.durableSnapshot());
        out.addAll(quotas.durableSnapshot());
        for (AgentRecord a : agents.all()) {
            out.add(new Fact.AgentRegistered(a.id, a.host, a.slots, a.labels));
            if (a.silenceRecorded && a.state != AgentState.ALIVE && !a.attempts.isEmpty()) {
                out.add(new Fact.AgentSilent(a.id, a.lastSeenMs, ledger.held(a)));
            }
        }
        List<DurableSnapshot.FinishedJob> finished = new ArrayList<>();
        for (Job job : jobs.byId().values()) {
            if (job.state.isTerminal()) {
                finished.add(new DurableSnapshot.FinishedJob(job.def.jobId(), () -> facts(job)));
            } else {
                out.addAll(facts(job));
            }
        }
        return new DurableSnapshot(out, finished);
    }

    /** The facts that rebuild one job as it is now. */
    private static List<Fact> facts(Job job) {
        List<Fact> out = new ArrayList<>();
        out.add(new Fact.JobAccepted(job.def));
        if (job.resultCodec != null) {
            out.add(new Fact.JobResultCodec(job.def.jobId(), job.resultCodec));
        }
        boolean keepResults = !job.state.isTerminal() || shardResultBytes(job) <= MAX_RETAINED_SHARD_RESULT_BYTES;
        for (Task t : job.tasks) {
            if (t.state == TaskState.SUCCEEDED && keepResults) {
                out.add(new Fact.TaskCommitted(job.def.jobId(), t.index, t.attemptId, t.value, t.attempts, t.blob));
            } else if (t.state == TaskState.FAILED) {
                out.add(new Fact.TaskFailed(job.def.jobId(), t.index, t.error, t.attempts));
            } else if (!t.state.isTerminal() && t.lastRetry != null) {
                out.add(t.lastRetry); // the budget used so far and the backoff, for a task still to run
            }
        }
        if (job.state.isTerminal()) {
            out.add(new Fact.JobEnded(job.def.jobId(), job.state, job.error, job.result, job.endedAtMs, job.resultBlob));
        }
        return out;
    }

    private static long shardResultBytes(Job job) {
        long bytes = 0;
        for (Task t : job.tasks) {
            bytes += t.value == null ? 0 : t.value.length + 16;
        }
        return bytes;
    }
}
