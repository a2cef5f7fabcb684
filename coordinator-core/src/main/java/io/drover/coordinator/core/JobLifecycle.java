package io.drover.coordinator.core;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Jobs from acceptance to their end: submit (deduplicated by owner and idempotency key; the same key
 * with a different spec is rejected), the
 * runs schedules start, restore from durable facts, the step from shards to the reduce task, the
 * end (succeeded, failed, cancelled) with its durable fact, and eviction of finished jobs beyond
 * what the leader keeps in memory.
 */
final class JobLifecycle {
    /** Told when a job ends, so the schedule that started it records how its run ended. */
    interface EndListener {
        void jobEnded(String jobId, JobState state, long nowMs);
    }

    private final SchedulerConfig config;
    private final long epoch;
    private final ReadyQueue ready;
    private final AttemptLedger ledger;
    private final EndListener onEnd;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    /**
     * Owner/key → the job it created and a hash of its spec. The hash outlives the job's eviction from
     * memory, so a key reused with another spec is still told apart from a retry.
     */
    private final Map<String, Keyed> byKey = new HashMap<>();
    private long jobSeq;
    private long jobOrder;
    private final Upstreams upstreams = new Upstreams();
    /** Jobs that ended and whose dependants are still to be judged: a worklist, so long chains need no deep stack. */
    private final java.util.ArrayDeque<Job> endedJobs = new java.util.ArrayDeque<>();
    private boolean judging;

    JobLifecycle(SchedulerConfig config, long epoch, ReadyQueue ready, AttemptLedger ledger, EndListener onEnd) {
        this.config = config;
        this.epoch = epoch;
        this.ready = ready;
        this.ledger = ledger;
        this.onEnd = onEnd;
    }

    Job get(String jobId) {
        return jobs.get(jobId);
    }

    /** All jobs the leader keeps, oldest first. */
    Map<String, Job> byId() {
        return jobs;
    }

    private record Keyed(String jobId, int specHash) {
    }

    void submit(Event.SubmitJob e, Effects out) {
        JobDefinition d = e.definition();
        Keyed existing = byKey.get(key(d));
        if (existing != null) {
            Job held = jobs.get(existing.jobId());
            boolean same = held != null ? held.def.sameSpecAs(d) : existing.specHash() == d.specHash();
            out.reply(e.requestId(), same ? new Response.Submitted(existing.jobId(), true)
                    : new Response.Rejected("idempotency key '" + d.idempotencyKey() + "' was used for job "
                    + existing.jobId() + " with a different spec; a retry must send the same spec, a new job a new key"));
            return;
        }
        String refusal = Upstreams.refusal(d, jobs::get);
        if (refusal != null) {
            out.reply(e.requestId(), new Response.Rejected(refusal));
            return;
        }
        String jobId = nextJobId();
        accept(d, jobId, e.nowMs(), out);
        out.reply(e.requestId(), new Response.Submitted(jobId, false));
        evictFinishedJobs();
    }

    /**
     * Accepts a schedule's run like a submit, without a reply; the existing job when its key was
     * seen. The run's job id is {@code runId} (derived from the schedule and fire time) unless a
     * job the core still knows has it, then {@code runId-<epoch>-<seq>}.
     */
    String submitRun(JobDefinition d, String runId, long nowMs, Effects out) {
        String existing = jobIdForKey(d.owner(), d.idempotencyKey());
        if (existing != null) {
            return existing;
        }
        String jobId = jobs.containsKey(runId) ? runId + "-" + epoch + "-" + (++jobSeq) : runId;
        accept(d, jobId, nowMs, out);
        evictFinishedJobs();
        return jobId;
    }

    String jobIdForKey(String owner, String idempotencyKey) {
        Keyed k = byKey.get(owner + "/" + idempotencyKey);
        return k == null ? null : k.jobId();
    }

    private static String key(JobDefinition d) {
        return d.owner() + "/" + d.idempotencyKey();
    }

    /** A fresh job id of this epoch. */
    String nextJobId() {
        return "j" + epoch + "-" + (++jobSeq);
    }

    /** Accepts a job whose dependencies were checked; it runs now, waits, or ends at once if they cannot be met. */
    Job accept(JobDefinition d, String jobId, long nowMs, Effects out) {
        JobDefinition accepted = d.withJobId(jobId, nowMs);
        Job job = addJob(accepted);
        out.persist(new Fact.JobAccepted(accepted));
        startOrWait(job, nowMs, out);
        return job;
    }

    /**
     * Judges a job that may wait: a job with no (or only satisfied) dependencies has its shards
     * queued; one that waits is filed under the upstream it waits for; one whose dependency can no
     * longer be met fails or is skipped, as it asked.
     */
    private void startOrWait(Job job, long nowMs, Effects out) {
        if (job.state == JobState.WAITING) {
            Upstreams.Verdict v = Upstreams.judge(job.def, jobs::get);
            if (v instanceof Upstreams.Verdict.Wait w) {
                upstreams.file(job, w.upstream());
                return;
            }
            if (v instanceof Upstreams.Verdict.Blocked b) {
                boolean skip = job.def.onUpstreamFailure() == Dependency.UpstreamFailure.SKIP;
                end(job, skip ? JobState.SKIPPED : JobState.FAILED, b.why(), null, nowMs, out);
                return;
            }
            job.state = job.state.to(JobState.RUNNING);
            out.note("job " + job.def.jobId() + " '" + job.def.name() + "' released: its upstream jobs ended as it needed");
        }
        for (int i = 0; i < job.def.shardCount(); i++) {
            if (job.tasks[i].state == TaskState.PENDING) {
                ready.add(job, job.tasks[i]);
            }
        }
    }

    /** Judges again the jobs waiting on jobs that ended, until no further job ends. */
    private void judgeDependants(Job ended, long nowMs, Effects out) {
        endedJobs.add(ended);
        if (judging) {
            return; // the loop below, further up the stack, takes it
        }
        judging = true;
        try {
            Job up;
            while ((up = endedJobs.poll()) != null) {
                for (Job waiting : upstreams.takeWaitingOn(up.def.jobId())) {
                    if (waiting.state == JobState.WAITING) {
                        startOrWait(waiting, nowMs, out);
                    }
                }
            }
        } finally {
            judging = false;
        }
    }

    private Job addJob(JobDefinition def) {
        Job job = new Job(def, ++jobOrder);
        jobs.put(def.jobId(), job);
        byKey.put(key(def), new Keyed(def.jobId(), def.specHash()));
        return job;
    }

    /** Loads a job from its durable facts; one whose facts show it done is finished into {@code out}. */
    void restore(RecoveredJob r, long nowMs, Effects out) {
        Job job = addJob(r.definition());
        job.resultCodec = r.resultCodec();
        r.committed().forEach((task, value) -> {
            Task t = job.tasks[task];
            t.value = value;
            t.blob = r.committedBlobs().get(task);
            job.move(t, TaskState.RUNNING);
            job.move(t, TaskState.SUCCEEDED);
        });
        r.failed().forEach((task, error) -> {
            Task t = job.tasks[task];
            t.error = error;
            job.move(t, TaskState.RUNNING);
            job.move(t, TaskState.FAILED);
        });
        r.attempts().forEach((task, n) -> {
            if (task >= 0 && task < job.tasks.length) {
                job.tasks[task].attempts = n;
            }
        });
        if (r.end() != null) {
            job.state = r.end().state();
            job.error = r.end().error();
            job.result = r.end().result();
            job.resultBlob = r.end().resultBlob();
            job.endedAtMs = r.end().endedAtMs();
            for (Task t : job.nonTerminalTasks()) {
                job.move(t, TaskState.CANCELLED);
            }
            return;
        }
        if (job.state == JobState.WAITING) {
            Upstreams.Verdict v = Upstreams.judge(job.def, jobs::get);
            if (!(v instanceof Upstreams.Verdict.Run)) {
                startOrWait(job, nowMs, out); // waits again, or fails/skips
                return;
            }
            job.state = job.state.to(JobState.RUNNING);
        }
        if (!r.failed().isEmpty()) {
            Task first = job.tasks[r.failed().keySet().iterator().next()];
            fail(job, "task " + first.index + " failed: " + first.error, nowMs, out);
            return;
        }
        r.retries().forEach((task, retry) -> restoreRetry(job, task, retry, nowMs));
        for (int i = 0; i < job.def.shardCount(); i++) {
            if (job.tasks[i].state == TaskState.PENDING) {
                ready.add(job, job.tasks[i]);
            }
        }
        afterShardProgress(job, nowMs, out);
    }

    /**
     * A task whose last attempt failed under an earlier leader: its count stands, the failed
     * attempt is over (an agent naming it again is not adopted, its report again changes nothing),
     * and a shard still backing off waits out the rest of its delay.
     */
    private void restoreRetry(Job job, int task, Fact.TaskRetried retry, long nowMs) {
        if (task < 0 || task >= job.tasks.length || job.tasks[task].state != TaskState.PENDING) {
            return;
        }
        Task t = job.tasks[task];
        t.lastRetry = retry;
        t.error = retry.error();
        t.reportedAttemptId = retry.attemptId();
        t.lastAttemptId = retry.attemptId();
        if (retry.retryAtMs() > nowMs && !job.isReduceTask(task)) {
            t.attemptId = retry.attemptId();
            job.move(t, TaskState.RUNNING);
            job.move(t, TaskState.BACKOFF);
            // The time is the earlier leader's clock: a clock far ahead must not hold the task for long.
            ready.retryAt(Math.min(retry.retryAtMs(), nowMs + config.backoffMaxMs()), job, t, retry.attemptId());
        }
    }

    /** Cancels a job by a user's request; returns it, or null when it is unknown. */
    Job cancel(String jobId, long nowMs, Effects out) {
        Job job = jobs.get(jobId);
        if (job != null && !job.state.isTerminal()) {
            end(job, JobState.CANCELLED, "cancelled by user", null, nowMs, out);
        }
        return job;
    }

    /** Cancels a run that a schedule's REPLACE policy replaces. */
    void cancelRun(String jobId, String why, long nowMs, Effects out) {
        Job job = jobs.get(jobId);
        if (job != null && !job.state.isTerminal()) {
            end(job, JobState.CANCELLED, why, null, nowMs, out);
        }
    }

    /** Records that all shards (or the reduce task) are done, moving the job on. */
    void afterShardProgress(Job job, long nowMs, Effects out) {
        if (job.state != JobState.RUNNING || job.shardsSucceeded < job.def.shardCount()) {
            return;
        }
        if (job.def.reduce()) {
            job.state = job.state.to(JobState.REDUCING);
            ready.add(job, job.tasks[job.def.shardCount()]);
        } else {
            boolean single = job.def.shardCount() == 1;
            end(job, JobState.SUCCEEDED, null, single ? job.tasks[0].value : null, single ? job.tasks[0].blob : null,
                    nowMs, out);
        }
    }

    void fail(Job job, String error, long nowMs, Effects out) {
        end(job, JobState.FAILED, error, null, nowMs, out);
    }

    /** Ends the job: nothing of it stays queued, its running attempts are cancelled. */
    void end(Job job, JobState state, String error, byte[] result, long nowMs, Effects out) {
        end(job, state, error, result, null, nowMs, out);
    }

    /** As above, with the result kept as a blob ({@code resultBlob} non-null, {@code result} then empty). */
    void end(Job job, JobState state, String error, byte[] result, ResultBlob resultBlob, long nowMs, Effects out) {
        job.state = job.state.to(state);
        job.error = error;
        job.result = result;
        job.resultBlob = resultBlob;
        job.endedAtMs = nowMs;
        ready.drop(job);
        for (Task t : job.nonTerminalTasks()) {
            if (t.state == TaskState.RUNNING) {
                ledger.cancel(t.attemptId);
                ledger.cancelBackup(t);
            }
            job.move(t, TaskState.CANCELLED);
        }
        out.persist(new Fact.JobEnded(job.def.jobId(), state, error, result, nowMs, resultBlob));
        out.note("job " + job.def.jobId() + " '" + job.def.name() + "' " + state + " after " + (nowMs - job.def.submittedAtMs())
                + " ms" + (error == null ? "" : ": " + error));
        onEnd.jobEnded(job.def.jobId(), state, nowMs);
        judgeDependants(job, nowMs, out);
    }

    /**
     * Drops the oldest finished jobs beyond the configured number, or while finished jobs hold more
     * tasks together than configured (the newest finished job always stays, so its status and result
     * can be read); their facts go at compaction. A finished job that a job still waiting or running
     * depends on stays: its end decides the dependant after a failover too, and its result is handed to
     * the dependant's tasks.
     */
    void evictFinishedJobs() {
        int finished = 0;
        long finishedTasks = 0;
        java.util.Set<String> pinned = new java.util.HashSet<>();
        for (Job j : jobs.values()) {
            if (j.state.isTerminal()) {
                finished++;
                finishedTasks += j.tasks.length;
            } else {
                j.def.dependencies().forEach(d -> pinned.add(d.jobId()));
            }
        }
        Iterator<Job> it = jobs.values().iterator();
        while (finished > 1 && (finished > config.retainFinishedJobs() || finishedTasks > config.retainFinishedTasks())
                && it.hasNext()) {
            Job j = it.next();
            if (j.state.isTerminal() && !pinned.contains(j.def.jobId())) {
                it.remove();
                finished--;
                finishedTasks -= j.tasks.length;
            }
        }
    }
}
