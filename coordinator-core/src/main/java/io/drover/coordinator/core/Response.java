package io.drover.coordinator.core;

import java.util.List;
import java.util.Map;

/** Answers to {@link Event}s, addressed by request id. */
public sealed interface Response {

    record Submitted(String jobId, boolean duplicate) implements Response {
    }

    /**
     * A workflow's jobs, by their names in it, in the order they were accepted; {@code duplicate}: every
     * job was accepted before (a retry), and these are the existing ones.
     */
    record WorkflowSubmitted(Map<String, String> jobIds, boolean duplicate) implements Response {
        public WorkflowSubmitted {
            jobIds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(jobIds));
        }
    }

    record Registered(String agentId) implements Response {
    }

    /**
     * {@code offlineStopAfterMs}: the agent's pool policy, how long it may run tasks without contact
     * (0: no bound); -1 when this answer does not say (the agent keeps what it was told before).
     */
    record HeartbeatAnswer(List<Assignment> assignments, List<Long> cancelAttempts, List<Long> ackedAttempts,
                           boolean reRegister, long offlineStopAfterMs) implements Response {
        public static final HeartbeatAnswer EMPTY = new HeartbeatAnswer(List.of(), List.of(), List.of(), false);

        /** An answer that does not restate the offline stop bound. */
        public HeartbeatAnswer(List<Assignment> assignments, List<Long> cancelAttempts, List<Long> ackedAttempts,
                               boolean reRegister) {
            this(assignments, cancelAttempts, ackedAttempts, reRegister, -1);
        }

        public boolean isEmpty() {
            return assignments.isEmpty() && cancelAttempts.isEmpty() && ackedAttempts.isEmpty() && !reRegister;
        }
    }

    /** {@code reduceInputBlobs}: the reduce task's inputs kept as blobs, by shard (their reduceInputs entry is empty). */
    record Assignment(long attemptId, String jobId, int task, String shardParameter, boolean reduceTask,
                      List<byte[]> reduceInputs, Map<Integer, ResultBlob> reduceInputBlobs) {
        public Assignment {
            reduceInputBlobs = reduceInputBlobs == null ? Map.of() : Map.copyOf(reduceInputBlobs);
        }

        public Assignment(long attemptId, String jobId, int task, String shardParameter, boolean reduceTask,
                          List<byte[]> reduceInputs) {
            this(attemptId, jobId, task, shardParameter, reduceTask, reduceInputs, Map.of());
        }
    }

    /**
     * {@code waiting}: why a job with tasks to run cannot run on any agent taking work, else null.
     * {@code upstream}: the job's dependencies and how far each has got (empty for a job without any),
     * so a WAITING job says what it waits for. {@code resultBlob}: the result when it is a blob (result
     * then empty); {@code shardResultBlobs}: the shard results that are blobs (their entries empty).
     * {@code backupsStarted} and {@code backupsWon}: straggler backups of its tasks this leader started,
     * and how many of them committed first.
     */
    record JobSnapshot(JobDefinition definition, JobState state, int succeeded, int failed, int running,
                       int pending, String error, byte[] result, Long endedAtMs, List<TaskSnapshot> tasks,
                       List<byte[]> shardResults, String resultCodec, PlacementWait waiting,
                       List<UpstreamStatus> upstream, QueueWait queueWait, ResultBlob resultBlob,
                       Map<Integer, ResultBlob> shardResultBlobs, int backupsStarted, int backupsWon)
            implements Response {
        public JobSnapshot {
            upstream = upstream == null ? List.of() : List.copyOf(upstream);
            shardResultBlobs = shardResultBlobs == null ? Map.of() : Map.copyOf(shardResultBlobs);
        }

        /** Without results kept as blobs. */
        public JobSnapshot(JobDefinition definition, JobState state, int succeeded, int failed, int running,
                           int pending, String error, byte[] result, Long endedAtMs, List<TaskSnapshot> tasks,
                           List<byte[]> shardResults, String resultCodec, PlacementWait waiting,
                           List<UpstreamStatus> upstream, QueueWait queueWait) {
            this(definition, state, succeeded, failed, running, pending, error, result, endedAtMs, tasks, shardResults,
                    resultCodec, waiting, upstream, queueWait, null, Map.of());
        }

        /** Without backups. */
        public JobSnapshot(JobDefinition definition, JobState state, int succeeded, int failed, int running,
                           int pending, String error, byte[] result, Long endedAtMs, List<TaskSnapshot> tasks,
                           List<byte[]> shardResults, String resultCodec, PlacementWait waiting,
                           List<UpstreamStatus> upstream, QueueWait queueWait, ResultBlob resultBlob,
                           Map<Integer, ResultBlob> shardResultBlobs) {
            this(definition, state, succeeded, failed, running, pending, error, result, endedAtMs, tasks, shardResults,
                    resultCodec, waiting, upstream, queueWait, resultBlob, shardResultBlobs, 0, 0);
        }

        /** Without a queue wait ({@code queueWait}: why ready tasks wait for quota, share or a slot; null if not). */
        public JobSnapshot(JobDefinition definition, JobState state, int succeeded, int failed, int running,
                           int pending, String error, byte[] result, Long endedAtMs, List<TaskSnapshot> tasks,
                           List<byte[]> shardResults, String resultCodec, PlacementWait waiting,
                           List<UpstreamStatus> upstream) {
            this(definition, state, succeeded, failed, running, pending, error, result, endedAtMs, tasks, shardResults,
                    resultCodec, waiting, upstream, null);
        }

        /** Without dependencies. */
        public JobSnapshot(JobDefinition definition, JobState state, int succeeded, int failed, int running,
                           int pending, String error, byte[] result, Long endedAtMs, List<TaskSnapshot> tasks,
                           List<byte[]> shardResults, String resultCodec, PlacementWait waiting) {
            this(definition, state, succeeded, failed, running, pending, error, result, endedAtMs, tasks, shardResults,
                    resultCodec, waiting, List.of());
        }

        /** Without a placement wait. */
        public JobSnapshot(JobDefinition definition, JobState state, int succeeded, int failed, int running,
                           int pending, String error, byte[] result, Long endedAtMs, List<TaskSnapshot> tasks,
                           List<byte[]> shardResults, String resultCodec, List<UpstreamStatus> upstream) {
            this(definition, state, succeeded, failed, running, pending, error, result, endedAtMs, tasks, shardResults,
                    resultCodec, null, upstream);
        }

        /** Without a placement wait or dependencies. */
        public JobSnapshot(JobDefinition definition, JobState state, int succeeded, int failed, int running,
                           int pending, String error, byte[] result, Long endedAtMs, List<TaskSnapshot> tasks,
                           List<byte[]> shardResults, String resultCodec) {
            this(definition, state, succeeded, failed, running, pending, error, result, endedAtMs, tasks, shardResults,
                    resultCodec, null, List.of());
        }

        /** The dependencies that have not ended yet: what a WAITING job waits for. */
        public List<UpstreamStatus> waitingFor() {
            return upstream.stream().filter(u -> u.state() == null || !u.state().isTerminal()).toList();
        }

        /** Without a declared result codec (none learnt yet). */
        public JobSnapshot(JobDefinition definition, JobState state, int succeeded, int failed, int running,
                           int pending, String error, byte[] result, Long endedAtMs, List<TaskSnapshot> tasks,
                           List<byte[]> shardResults) {
            this(definition, state, succeeded, failed, running, pending, error, result, endedAtMs, tasks, shardResults,
                    null);
        }
    }

    /** One dependency of a job: the upstream job, what it must do, and its state now (null: no longer known). */
    record UpstreamStatus(String jobId, String name, Dependency.Condition condition, JobState state) {
    }

    /**
     * What a dependant's tasks are handed: each upstream job's end and result (the reduce output or
     * the single shard's result; null for jobs with several shards and no reduce step). Bounded: at
     * most {@link Dependency#MAX_PER_JOB} entries, each result as bounded as any committed result.
     */
    record UpstreamResults(String jobId, List<UpstreamResult> upstream) implements Response {
        public UpstreamResults {
            upstream = List.copyOf(upstream);
        }
    }

    /** {@code resultBlob}: the upstream result when it is kept as a blob ({@code result} then null). */
    record UpstreamResult(String jobId, String name, JobState state, byte[] result, ResultBlob resultBlob) {
        /** An upstream end with an inline result or none. */
        public UpstreamResult(String jobId, String name, JobState state, byte[] result) {
            this(jobId, name, state, result, null);
        }
    }

    /** {@code backups}: backup attempts this leader started for the task (0 or 1); {@code backupWon}: one's result committed. */
    record TaskSnapshot(int task, TaskState state, int attempts, String agentId, String error, int backups,
                        boolean backupWon) {
        /** Without backups. */
        public TaskSnapshot(int task, TaskState state, int attempts, String agentId, String error) {
            this(task, state, attempts, agentId, error, 0, false);
        }
    }

    /** A page of a job's tasks: {@code matched} of them are in the state asked for; {@code tasks} from {@code offset}. */
    record TaskPage(String jobId, int matched, int offset, List<TaskSnapshot> tasks) implements Response {
    }

    record JobList(List<JobSnapshot> jobs) implements Response {
    }

    /**
     * An agent as the leader sees it. {@code silentForMs} is set (else null) while it is not ALIVE;
     * {@code pool} is its pool label or null (the default policy); {@code pendingAction} says what
     * happens to its work next per policy, or null when nothing is pending (the coordinator words it).
     */
    record AgentSnapshot(String agentId, String host, AgentState state, boolean draining, int slots, int running,
                         long lastHeartbeatMs, Map<String, String> labels, long completedTasks, Long silentForMs,
                         String pool, PendingAction pendingAction, String softwareVersion) implements Response {
    }

    record AgentList(List<AgentSnapshot> agents) implements Response {
    }

    record JobDefinitionAnswer(JobDefinition definition) implements Response {
    }

    /** Schedules asked about or changed, and the run a run-now request started (else null). */
    record ScheduleAnswer(List<ScheduleSnapshot> schedules, ScheduleRun run) implements Response {
        public ScheduleAnswer {
            schedules = List.copyOf(schedules);
        }
    }

    /**
     * Where a task's newest attempt ran: {@code attempts} 0 means none started yet (then the agent
     * fields are null). {@code agentState} is null when the agent is no longer known to the leader.
     * {@code taskEnded}: the task reached a terminal state (no newer attempt will come).
     */
    record TaskLocation(String jobId, int task, int attempts, long attemptId, String agentId, AgentState agentState,
                        boolean taskEnded) implements Response {
    }

    /** SHA-256s of the artifacts that jobs the core still holds and its schedules refer to. */
    record ArtifactRefs(java.util.Set<String> sha256s) implements Response {
        public ArtifactRefs {
            sha256s = java.util.Set.copyOf(sha256s);
        }
    }

    /**
     * What an agent was given: the jobs of its live attempts and the artifacts those jobs run, and the
     * result blobs those attempts read (a reduce attempt's inputs, and the results of the jobs its job
     * depends on). An agent may read only these (empty for an agent the leader does not know).
     */
    record AgentHoldings(String agentId, java.util.Set<String> jobIds, java.util.Set<String> artifactSha256s,
                         java.util.Set<String> resultBlobSha256s) implements Response {
        public AgentHoldings {
            jobIds = java.util.Set.copyOf(jobIds);
            artifactSha256s = java.util.Set.copyOf(artifactSha256s);
            resultBlobSha256s = java.util.Set.copyOf(resultBlobSha256s);
        }

        /** Holdings without result blobs. */
        public AgentHoldings(String agentId, java.util.Set<String> jobIds, java.util.Set<String> artifactSha256s) {
            this(agentId, jobIds, artifactSha256s, java.util.Set.of());
        }
    }

    /**
     * Quotas as they apply: {@code quota} is the owner's effective quota ({@code explicit}: its own entry,
     * else the default's); {@code running} and {@code ready} its tasks now.
     */
    record QuotaUsage(Quota quota, boolean explicit, int running, int ready) {
    }

    /** Quota entries and owners with work (a list), or the one entry a change touched. */
    record QuotaList(List<QuotaUsage> quotas) implements Response {
        public QuotaList {
            quotas = List.copyOf(quotas);
        }
    }

    /** The request named something that does not exist or is not allowed now; message names it. */
    record Rejected(String message) implements Response {
    }
}
