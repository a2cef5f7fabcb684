package io.drover.coordinator.core;

import io.drover.coordinator.core.Response.Assignment;
import io.drover.coordinator.core.Response.HeartbeatAnswer;
import java.util.HashSet;
import java.util.Set;

/**
 * Which heartbeat answers may leave before the turn's group commit (issue 15: replies that carry only assignments
 * need not wait for it where that is safe). Assignments are soft state; an answer may go early when it carries
 * nothing else (no acknowledgement: a result is acknowledged only once durable; no cancel: it may follow from a
 * fact of this turn; no re-registration) and each assignment is the first attempt of a shard task of a job with no
 * upstream jobs: such a task was ready from the job's acceptance on, so no uncommitted result, retry or job end
 * made it runnable. Reduce tasks (ready once every shard result is durable), retries, backups and the tasks of
 * dependants wait for the commit as before. The one durable fact an early answer still needs, its jobs'
 * definitions, is the shell's to check: it holds an early answer back while one of those jobs was accepted in a
 * turn not yet committed ({@link Effects#replyEarly}).
 */
final class EarlyReplies {
    private final JobLifecycle jobs;

    EarlyReplies(JobLifecycle jobs) {
        this.jobs = jobs;
    }

    /** Adds the answer to {@code out}: early when it may go before the commit, else after it. */
    void answer(long requestId, HeartbeatAnswer answer, Effects out) {
        Set<String> needed = jobsIfEarly(answer);
        if (needed == null) {
            out.reply(requestId, answer);
        } else {
            out.replyEarly(requestId, answer, needed);
        }
    }

    /** The jobs whose definitions the answer relies on, or null when it must wait for the turn's commit. */
    Set<String> jobsIfEarly(HeartbeatAnswer answer) {
        if (answer.assignments().isEmpty() || !answer.cancelAttempts().isEmpty() || !answer.ackedAttempts().isEmpty()
                || answer.reRegister()) {
            return null;
        }
        Set<String> needed = new HashSet<>(2);
        for (Assignment a : answer.assignments()) {
            Job job = jobs.get(a.jobId());
            if (a.reduceTask() || job == null || !job.def.dependencies().isEmpty()) {
                return null;
            }
            Task t = job.task(a.task());
            if (t.attempts != 1 || t.attemptId != a.attemptId()) {
                return null; // a retry, or a backup beside the first attempt
            }
            needed.add(a.jobId());
        }
        return needed;
    }
}
