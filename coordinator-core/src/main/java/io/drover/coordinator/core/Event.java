package io.drover.coordinator.core;

import java.util.List;
import java.util.Map;

/**
 * Inputs to the {@link Scheduler}. Each carries "now" as a value (milliseconds of the injected
 * clock) so the core never reads a clock. {@code requestId} ties a {@link Response} to its caller.
 */
public sealed interface Event {
    long nowMs();

    record SubmitJob(long requestId, long nowMs, JobDefinition definition) implements Event {
    }

    /** Jobs with dependencies among them, accepted all together or not at all (see {@link WorkflowGraph}). */
    record SubmitWorkflow(long requestId, long nowMs, List<WorkflowJob> jobs) implements Event {
    }

    /**
     * {@code softwareVersion}: the release the agent runs, shown to operators (null: not told).
     * {@code cachedArtifacts}: the artifact hashes it holds (placement prefers it for their jobs);
     * {@code memoryMb}: the memory it offers tasks (0: not told).
     */
    record RegisterAgent(long requestId, long nowMs, String agentId, String host, int slots,
                         Map<String, String> labels, String softwareVersion, List<String> cachedArtifacts,
                         long memoryMb) implements Event {
        public RegisterAgent {
            cachedArtifacts = cachedArtifacts == null ? List.of() : List.copyOf(cachedArtifacts);
        }

        public RegisterAgent(long requestId, long nowMs, String agentId, String host, int slots,
                             Map<String, String> labels, String softwareVersion) {
            this(requestId, nowMs, agentId, host, slots, labels, softwareVersion, List.of(), 0);
        }

        public RegisterAgent(long requestId, long nowMs, String agentId, String host, int slots,
                             Map<String, String> labels) {
            this(requestId, nowMs, agentId, host, slots, labels, null);
        }
    }

    /** A heartbeat; {@code maxWaitMs > 0} makes it a long poll that may be answered later. */
    record Heartbeat(long requestId, long nowMs, String agentId, List<Report> results,
                     List<RunningAttempt> running, boolean draining, long maxWaitMs) implements Event {
    }

    record CancelJob(long requestId, long nowMs, String jobId) implements Event {
    }

    record DrainAgent(long requestId, long nowMs, String agentId, boolean drain) implements Event {
    }

    /** Decommission an agent: forget it; whatever it still ran is re-queued. */
    record ForgetAgent(long requestId, long nowMs, String agentId) implements Event {
    }

    /**
     * Read-only questions; answered from the core's state on its own thread. {@code page}: which tasks a
     * {@code TASK_PAGE} query wants (null for the other kinds).
     */
    record Query(long requestId, long nowMs, QueryKind kind, String id, boolean withTasks,
                 boolean withShardResults, int limit, TaskFilter page) implements Event {
        public Query(long requestId, long nowMs, QueryKind kind, String id, boolean withTasks, boolean withShardResults,
                     int limit) {
            this(requestId, nowMs, kind, id, withTasks, withShardResults, limit, null);
        }
    }

    /**
     * A page of a job's tasks: those in {@code state} (null: all), from the {@code offset}-th of them, at most
     * {@code limit} ({@link #MAX_LIMIT} at most, so the answer built on the core's thread stays small).
     */
    record TaskFilter(int offset, int limit, TaskState state) {
        public static final int MAX_LIMIT = 1_000;
    }

    /**
     * {@code ARTIFACT_REFS}: the artifacts jobs and schedules refer to, for the leader's artifact sweep.
     * {@code AGENT_HOLDINGS} (id: an agent id): the jobs and artifacts of the attempts that agent holds.
     * {@code UPSTREAM_RESULTS} (id: a job id): the ends and results of the jobs that job depends on.
     * {@code TASK_PAGE} (id: a job id): a page of its tasks ({@link TaskFilter}).
     * {@code QUOTAS}: quota entries and owners with work ({@link Response.QuotaList}).
     * {@code RESULT_BLOB_REFS}: the result blobs the jobs still known refer to, for the sweep of result blobs.
     */
    enum QueryKind { JOB, JOBS, AGENTS, JOB_DEFINITION, ARTIFACT_REFS, AGENT_HOLDINGS, TASK_PAGE, UPSTREAM_RESULTS,
        QUOTAS, RESULT_BLOB_REFS }

    /**
     * A connection an agent used closed. {@code pollRequestId} is the last long poll sent on it
     * (-1 if none): that poll can never be answered.
     */
    record AgentDisconnected(long nowMs, String agentId, long pollRequestId) implements Event {
    }

    /** Schedules: user requests (with a reply) and fires from the trigger engine (requestId -1, no reply). */
    record ScheduleCommand(long requestId, long nowMs, ScheduleOp op) implements Event {
    }

    /** Where the newest attempt of a task ran, for reading its output from that agent. */
    record LocateTask(long requestId, long nowMs, String jobId, int task) implements Event {
    }

    /**
     * The shell queued something for this agent outside the core (log requests): its parked long
     * poll is answered now, or its next one is not parked. No reply.
     */
    record WakeAgent(long nowMs, String agentId) implements Event {
    }

    /**
     * Sets an owner's quota entry; a null {@code maxRunning} or {@code weight} keeps the entry's value
     * (the built-in one, no cap and weight 1, for a new entry). Answered with the entry as a
     * {@link Response.QuotaList}.
     */
    record SetQuota(long requestId, long nowMs, String owner, Integer maxRunning, Integer weight) implements Event {
        public SetQuota(long requestId, long nowMs, Quota quota) {
            this(requestId, nowMs, quota.owner(), quota.maxRunning(), quota.weight());
        }
    }

    /** Removes an owner's quota entry; answered with the entry removed, or rejected when there is none. */
    record RemoveQuota(long requestId, long nowMs, String owner) implements Event {
    }

    /** Periodic: liveness, parked-poll expiry, backoff release. */
    record Tick(long nowMs) implements Event {
    }

    /** The earliest parked poll's deadline has come ({@link Scheduler#nextPollDeadlineMs()}): expiry alone, no tick's walk. */
    record PollDeadline(long nowMs) implements Event {
    }

    /**
     * What an agent says about one attempt it finished; {@code resultCodec}: the name of the codec
     * the job's code encoded a successful value with, or null (process jobs, older agents); {@code blob}:
     * a successful result too large to travel inline, already stored by the agent (value then null).
     */
    record Report(long attemptId, String jobId, int task, Outcome outcome, byte[] value, String error,
                  String resultCodec, ResultBlob blob) {
        public Report(long attemptId, String jobId, int task, Outcome outcome, byte[] value, String error) {
            this(attemptId, jobId, task, outcome, value, error, null);
        }

        public Report(long attemptId, String jobId, int task, Outcome outcome, byte[] value, String error,
                      String resultCodec) {
            this(attemptId, jobId, task, outcome, value, error, resultCodec, null);
        }
    }

    /** {@code queued}: the agent accepted it beyond its slots and has not started it (queue-ahead). */
    record RunningAttempt(long attemptId, String jobId, int task, boolean queued) {
        public RunningAttempt(long attemptId, String jobId, int task) {
            this(attemptId, jobId, task, false);
        }
    }

    enum Outcome { SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, REJECTED }
}
