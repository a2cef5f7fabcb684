package io.drover.sdk;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of a job as the coordinator sees it.
 *
 * @param jobId the job's id
 * @param name the job's name
 * @param owner who submitted it (the token's subject)
 * @param state where the job is in its lifecycle
 * @param totalTasks shards, plus one for a reduce step
 * @param succeeded tasks with a committed result
 * @param failed tasks that failed for good
 * @param running tasks with a live attempt
 * @param pending tasks waiting to run (including those backing off before a retry)
 * @param error why the job failed, or null
 * @param submittedAt when the coordinator accepted it
 * @param finishedAt when it reached a terminal state
 * @param tasks every task, when asked for ({@link JobHandle#status(boolean)}), else empty
 * @param resultBytes the reduce step's output, or the only shard's result of a one-shard job
 * @param resultCodec the {@link ResultCodec#name()} the job's code declared, once one of its
 *        tasks succeeded (JVM jobs only; absent from coordinators older than this field)
 * @param placement its constraints and spread, and why it waits when no agent could run it
 * @param dependencies the jobs this one depends on and their states (empty: none); a
 *        {@link JobState#WAITING} job waits for those still {@link Dependency.Status#pending()}
 * @param backups straggler backups started and won, for a job that allows them (else empty)
 */
public record JobStatus(String jobId, String name, String owner, JobState state,
                        int totalTasks, int succeeded, int failed, int running, int pending,
                        String error, Instant submittedAt, Optional<Instant> finishedAt,
                        List<TaskStatus> tasks, Optional<byte[]> resultBytes, Optional<String> resultCodec,
                        JobPlacement placement, List<Dependency.Status> dependencies,
                        Optional<JobBackups> backups) {

    /**
     * A null placement reads as none; copies the dependencies; null backups read as none.
     *
     * @param jobId see the record's components
     * @param name see the record's components
     * @param owner see the record's components
     * @param state see the record's components
     * @param totalTasks see the record's components
     * @param succeeded see the record's components
     * @param failed see the record's components
     * @param running see the record's components
     * @param pending see the record's components
     * @param error see the record's components
     * @param submittedAt see the record's components
     * @param finishedAt see the record's components
     * @param tasks see the record's components
     * @param resultBytes see the record's components
     * @param resultCodec see the record's components
     * @param placement see the record's components
     * @param dependencies see the record's components
     * @param backups see the record's components
     */
    public JobStatus {
        placement = placement == null ? JobPlacement.NONE : placement;
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
        backups = backups == null ? Optional.empty() : backups;
    }

    /**
     * A status without backup counts (a job that takes no backups, or a coordinator older than them).
     *
     * @param jobId see the record's components
     * @param name see the record's components
     * @param owner see the record's components
     * @param state see the record's components
     * @param totalTasks see the record's components
     * @param succeeded see the record's components
     * @param failed see the record's components
     * @param running see the record's components
     * @param pending see the record's components
     * @param error see the record's components
     * @param submittedAt see the record's components
     * @param finishedAt see the record's components
     * @param tasks see the record's components
     * @param resultBytes see the record's components
     * @param resultCodec see the record's components
     * @param placement see the record's components
     * @param dependencies see the record's components
     */
    public JobStatus(String jobId, String name, String owner, JobState state,
                     int totalTasks, int succeeded, int failed, int running, int pending,
                     String error, Instant submittedAt, Optional<Instant> finishedAt,
                     List<TaskStatus> tasks, Optional<byte[]> resultBytes, Optional<String> resultCodec,
                     JobPlacement placement, List<Dependency.Status> dependencies) {
        this(jobId, name, owner, state, totalTasks, succeeded, failed, running, pending, error, submittedAt,
                finishedAt, tasks, resultBytes, resultCodec, placement, dependencies, Optional.empty());
    }

    /**
     * A status without placement details or dependencies (as from a coordinator that sends neither).
     *
     * @param jobId see the record's components
     * @param name see the record's components
     * @param owner see the record's components
     * @param state see the record's components
     * @param totalTasks see the record's components
     * @param succeeded see the record's components
     * @param failed see the record's components
     * @param running see the record's components
     * @param pending see the record's components
     * @param error see the record's components
     * @param submittedAt see the record's components
     * @param finishedAt see the record's components
     * @param tasks see the record's components
     * @param resultBytes see the record's components
     * @param resultCodec see the record's components
     */
    public JobStatus(String jobId, String name, String owner, JobState state,
                     int totalTasks, int succeeded, int failed, int running, int pending,
                     String error, Instant submittedAt, Optional<Instant> finishedAt,
                     List<TaskStatus> tasks, Optional<byte[]> resultBytes, Optional<String> resultCodec) {
        this(jobId, name, owner, state, totalTasks, succeeded, failed, running, pending, error, submittedAt,
                finishedAt, tasks, resultBytes, resultCodec, JobPlacement.NONE, List.of());
    }

    /**
     * A status without dependencies (a job that has none, or a coordinator older than them).
     *
     * @param jobId see the record's components
     * @param name see the record's components
     * @param owner see the record's components
     * @param state see the record's components
     * @param totalTasks see the record's components
     * @param succeeded see the record's components
     * @param failed see the record's components
     * @param running see the record's components
     * @param pending see the record's components
     * @param error see the record's components
     * @param submittedAt see the record's components
     * @param finishedAt see the record's components
     * @param tasks see the record's components
     * @param resultBytes see the record's components
     * @param resultCodec see the record's components
     * @param placement see the record's components
     */
    public JobStatus(String jobId, String name, String owner, JobState state,
                     int totalTasks, int succeeded, int failed, int running, int pending,
                     String error, Instant submittedAt, Optional<Instant> finishedAt,
                     List<TaskStatus> tasks, Optional<byte[]> resultBytes, Optional<String> resultCodec,
                     JobPlacement placement) {
        this(jobId, name, owner, state, totalTasks, succeeded, failed, running, pending, error, submittedAt,
                finishedAt, tasks, resultBytes, resultCodec, placement, List.of());
    }

    /**
     * A status without placement details (as from a coordinator that does not send them).
     *
     * @param jobId see the record's components
     * @param name see the record's components
     * @param owner see the record's components
     * @param state see the record's components
     * @param totalTasks see the record's components
     * @param succeeded see the record's components
     * @param failed see the record's components
     * @param running see the record's components
     * @param pending see the record's components
     * @param error see the record's components
     * @param submittedAt see the record's components
     * @param finishedAt see the record's components
     * @param tasks see the record's components
     * @param resultBytes see the record's components
     * @param resultCodec see the record's components
     * @param dependencies see the record's components
     */
    public JobStatus(String jobId, String name, String owner, JobState state,
                     int totalTasks, int succeeded, int failed, int running, int pending,
                     String error, Instant submittedAt, Optional<Instant> finishedAt,
                     List<TaskStatus> tasks, Optional<byte[]> resultBytes, Optional<String> resultCodec,
                     List<Dependency.Status> dependencies) {
        this(jobId, name, owner, state, totalTasks, succeeded, failed, running, pending, error, submittedAt,
                finishedAt, tasks, resultBytes, resultCodec, JobPlacement.NONE, dependencies);
    }

    /**
     * A status without a declared result codec (as from a coordinator that does not send one).
     *
     * @param jobId see the record's components
     * @param name see the record's components
     * @param owner see the record's components
     * @param state see the record's components
     * @param totalTasks see the record's components
     * @param succeeded see the record's components
     * @param failed see the record's components
     * @param running see the record's components
     * @param pending see the record's components
     * @param error see the record's components
     * @param submittedAt see the record's components
     * @param finishedAt see the record's components
     * @param tasks see the record's components
     * @param resultBytes see the record's components
     */
    public JobStatus(String jobId, String name, String owner, JobState state,
                     int totalTasks, int succeeded, int failed, int running, int pending,
                     String error, Instant submittedAt, Optional<Instant> finishedAt,
                     List<TaskStatus> tasks, Optional<byte[]> resultBytes) {
        this(jobId, name, owner, state, totalTasks, succeeded, failed, running, pending, error, submittedAt,
                finishedAt, tasks, resultBytes, Optional.empty());
    }

    /**
     * {@return the dependencies that have not ended yet: what a WAITING job waits for}
     */
    public List<Dependency.Status> waitingFor() {
        return dependencies.stream().filter(Dependency.Status::pending).toList();
    }

    /**
     * Tasks cancelled: those neither succeeded, failed, running nor pending (the wire sends no count of its own).
     *
     * @return the number of cancelled tasks
     */
    public int cancelled() {
        return Math.max(0, totalTasks - succeeded - failed - running - pending);
    }

    /**
     * Fraction of tasks finished (succeeded or failed permanently), 0..1.
     *
     * @return the fraction
     */
    public double progress() {
        return totalTasks == 0 ? 1.0 : (succeeded + failed) / (double) totalTasks;
    }

    /**
     * Whether {@code other} shows the same progress: the same state and task counts.
     * {@link JobHandle#await(java.time.Duration, java.util.function.Consumer)} reports a status only
     * when this changes.
     *
     * @param other another status of the same job
     * @return true when state and every task count are equal
     */
    public boolean sameProgress(JobStatus other) {
        return other != null && state == other.state && totalTasks == other.totalTasks
                && succeeded == other.succeeded && failed == other.failed && running == other.running
                && pending == other.pending;
    }
}
