package io.drover.coordinator.core;

import io.drover.coordinator.core.Event.Outcome;

/**
 * What a reported attempt outcome does to its task: the first success commits (from whichever
 * attempt or epoch), a failure of the current attempt retries after a backoff or fails the job, a
 * give-back re-queues. Duplicate and late reports change nothing.
 */
final class TaskOutcomes {
    private final SchedulerConfig config;
    private final JobLifecycle jobs;
    private final AttemptLedger ledger;
    private final ReadyQueue ready;

    TaskOutcomes(SchedulerConfig config, JobLifecycle jobs, AttemptLedger ledger, ReadyQueue ready) {
        this.config = config;
        this.jobs = jobs;
        this.ledger = ledger;
        this.ready = ready;
    }

    /** Handles one reported outcome; false when it was a duplicate or late report that changed nothing. */
    boolean onReport(AgentRecord agent, Event.Report r, long now, Effects out) {
        ledger.ended(r.attemptId());
        Job job = jobs.get(r.jobId());
        if (job == null || r.task() < 0 || r.task() >= job.taskCount()) {
            return false;
        }
        job.noteReported(r.task(), r.attemptId());
        if (!job.state.runsTasks()) {
            return false; // late (or for a job still waiting): acknowledged, never committed
        }
        Task t = job.task(r.task());
        if (t.state.isTerminal()) {
            return false; // duplicate or late: acknowledged, never committed twice
        }
        boolean current = t.state == TaskState.RUNNING && t.attemptId == r.attemptId();
        if (r.outcome() == Outcome.SUCCEEDED) {
            agent.completed++;
            commit(job, t, r, now, out);
            return true;
        }
        if (t.state == TaskState.RUNNING && t.backupAttemptId == r.attemptId()) {
            AttemptLedger.clearBackup(t); // a backup that did not make it: the current attempt runs on
            return true;
        }
        if (!current) {
            return false; // a stale attempt's failure says nothing about the current one
        }
        ledger.detachCurrent(t);
        switch (r.outcome()) {
            case CANCELLED -> {
                t.attempts--; // the agent gave it back (shutdown): not the task's fault
                if (!ledger.promoteBackup(job, t)) {
                    job.move(t, TaskState.PENDING);
                    ready.add(job, t);
                }
            }
            case REJECTED -> {
                ledger.cancelBackup(t);
                t.error = r.error();
                job.move(t, TaskState.FAILED);
                out.persist(new Fact.TaskFailed(job.def.jobId(), t.index, t.error, t.attempts));
                jobs.fail(job, "task " + t.index + " rejected by agent " + agent.id + ": " + r.error(), now, out);
            }
            default -> failedAttempt(job, t, r.outcome() + ": " + r.error(), now, out);
        }
        return true;
    }

    /**
     * The current attempt failed. With attempts left and a backup running, the backup becomes the
     * current attempt (the failure is recorded, so a failover keeps the count); else retry or fail.
     */
    private void failedAttempt(Job job, Task t, String error, long now, Effects out) {
        if (t.attempts < job.def.maxAttempts() && t.backupAttemptId != 0) {
            long failed = t.attemptId;
            t.error = error;
            t.lastRetry = new Fact.TaskRetried(job.def.jobId(), t.index, failed, t.attempts, now, error);
            out.persist(t.lastRetry);
            ledger.promoteBackup(job, t);
            return;
        }
        ledger.cancelBackup(t);
        retryOrFail(job, t, error, now, out);
    }

    private void commit(Job job, Task t, Event.Report r, long now, Effects out) {
        if (t.state == TaskState.RUNNING) {
            Backups.committed(job, t, r.attemptId(), now);
        }
        if (t.state == TaskState.RUNNING && t.backupAttemptId != r.attemptId()) {
            ledger.cancelBackup(t); // first result wins; the backup is a loser
        }
        AttemptLedger.clearBackup(t);
        if (t.state == TaskState.RUNNING && t.attemptId != r.attemptId()) {
            ledger.cancel(t.attemptId); // first result wins; the other attempt is a loser
        }
        if (t.state == TaskState.RUNNING) {
            if (t.attemptId == r.attemptId() && t.assignedAtMs > 0) {
                out.observeDispatch(now - t.assignedAtMs);
            }
            ledger.detachCurrent(t);
            job.move(t, TaskState.SUCCEEDED);
        } else if (t.state == TaskState.PENDING) {
            ready.takeToRunning(job, t);
            job.move(t, TaskState.SUCCEEDED);
        } else {
            job.move(t, TaskState.SUCCEEDED); // from BACKOFF; its heap entry goes stale
        }
        byte[] value = r.value();
        t.value = value == null || value.length == 0 || r.blob() != null ? Task.NO_RESULT : value;
        t.blob = r.blob();
        t.error = null;
        if (job.resultCodec == null && r.resultCodec() != null) {
            job.resultCodec = r.resultCodec(); // once per job: every task of a job runs the same code
            out.persist(new Fact.JobResultCodec(job.def.jobId(), job.resultCodec));
        }
        // A result from an attempt this leader never saw (not adopted yet) still ran once.
        out.persist(new Fact.TaskCommitted(job.def.jobId(), t.index, r.attemptId(), t.value, Math.max(1, t.attempts),
                t.blob));
        if (job.isReduceTask(t.index)) {
            jobs.end(job, JobState.SUCCEEDED, null, t.value, t.blob, now, out);
        } else {
            jobs.afterShardProgress(job, now, out);
        }
    }

    private void retryOrFail(Job job, Task t, String error, long now, Effects out) {
        t.error = error;
        if (t.attempts >= job.def.maxAttempts()) {
            job.move(t, TaskState.FAILED);
            out.persist(new Fact.TaskFailed(job.def.jobId(), t.index, error, t.attempts));
            jobs.fail(job, "task " + t.index + " failed after " + t.attempts
                    + (t.attempts == 1 ? " attempt: " : " attempts: ") + error, now, out);
            return;
        }
        job.move(t, TaskState.BACKOFF);
        long retryAt = now + config.backoffMs(t.attempts);
        ready.retryAt(retryAt, job, t, t.attemptId);
        // Durable, so a failover neither refills the budget nor cuts the backoff short.
        t.lastRetry = new Fact.TaskRetried(job.def.jobId(), t.index, t.attemptId, t.attempts, retryAt, error);
        out.persist(t.lastRetry);
    }
}
