package io.drover.sdk;

import io.drover.sdk.internal.ArtifactUploader;
import io.drover.protocol.CallDeadlines;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.sdk.internal.ClientConnection;
import io.drover.sdk.internal.JobJarCheck;
import io.drover.protocol.Endpoint;
import io.drover.sdk.internal.LogReads;
import io.drover.sdk.internal.QuietLogging;
import io.drover.sdk.internal.Mappers;
import io.drover.sdk.internal.RequestSize;
import io.drover.sdk.internal.ScheduleMappers;
import io.drover.sdk.internal.StreamMappers;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.SubmitReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The entry point of the Java SDK: submits jobs to, and asks questions of, the leading Drover
 * coordinator.
 *
 * <p>Leader discovery and retries: the client knows a list of coordinator endpoints and talks to
 * whichever one is the leader, following {@code NotLeader} redirects, moving on from unreachable
 * endpoints and backing off while the leader is unavailable, until the retry deadline
 * ({@link CoordinatorUnavailableException} after that). Retrying is safe for every call:
 * {@link #submit} carries the spec's idempotency key, so a submit retried after a lost reply
 * returns the job created the first time, never a second job.
 *
 * <p>The client connects lazily (the first call finds the leader) and holds one connection;
 * calls from several threads are serialized on it. Open several clients for parallel calls.
 * {@link #close()} releases the connection; handles created by a closed client stop working.
 *
 * <p>Errors are unchecked {@link DroverException}s: {@link InvalidJobException} when the SDK or
 * the coordinator rejects a request (the message names the field),
 * {@link AccessDeniedException} when this client's token does not allow the call (never retried),
 * {@link CoordinatorUnavailableException} when no leader answered in time.
 */
public final class DroverClient implements AutoCloseable {
    /** Stands for a job's reduce step where a task index is asked for (its index is the shard count). */
    public static final int REDUCE_TASK = LogReads.REDUCE_TASK;

    private final ClientConnection connection;
    private final ArtifactUploader uploader;
    private final LogReads logReads;

    private DroverClient(Builder b) {
        QuietLogging.startSlf4jQuietlyWithoutBackend(); // before the protocol and libthrift ask SLF4J for loggers
        // The hello is a call too: never allowed longer than one.
        Duration hello = b.helloTimeout.compareTo(b.callTimeout) <= 0 ? b.helloTimeout : b.callTimeout;
        this.connection = new ClientConnection(new CoordinatorConnection<>(CoordinatorService.CLIENT, b.parsedEndpoints,
                b.clientName, new CallDeadlines(b.connectTimeout, hello, b.callTimeout,
                        CallDeadlines.DEFAULTS.parkMargin(), b.retryDeadline), b.giveUpWhenNothingListens,
                b.credentials.toSecurity()));
        this.uploader = new ArtifactUploader(connection, WireLimits.ARTIFACT_CHUNK_BYTES);
        this.logReads = new LogReads(connection);
    }

    /**
     * A client with default settings for {@code commaSeparatedEndpoints}, e.g.
     * {@code "10.0.0.1:7420,10.0.0.2:7420"}.
     *
     * @throws IllegalArgumentException when an endpoint is not {@code host:port}
     * @param commaSeparatedEndpoints coordinator endpoints, {@code host:port} separated by commas
     * @return a client; close it when done
     */
    public static DroverClient connect(String commaSeparatedEndpoints) {
        return builder().endpoints(commaSeparatedEndpoints).build();
    }

    /**
     * A client with default settings for {@code commaSeparatedEndpoints}, secured with {@code credentials}.
     *
     * @param commaSeparatedEndpoints coordinator endpoints, {@code host:port} separated by commas
     * @param credentials the CA to trust and the token to present
     * @return a client; close it when done
     */
    public static DroverClient connect(String commaSeparatedEndpoints, Credentials credentials) {
        return builder().endpoints(commaSeparatedEndpoints).credentials(credentials).build();
    }

    /**
     * Settings for a client, checked by {@link Builder#build()}.
     *
     * @return a builder with the default settings
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Submits {@code spec} and returns a handle to the job. When the spec names a local job jar
     * it is hashed and uploaded first (resumably, in chunks, skipped when the coordinator already
     * stores a jar with that hash). Returns once the coordinator has persisted the job.
     * Submitting a spec whose idempotency key was seen before returns the existing job; a different
     * spec under a key already used is rejected with {@link InvalidJobException}.
     *
     * @throws InvalidJobException before anything is sent when the local job jar lacks the entry
     *     class, or the class is not a public, concrete {@link ShardedJob} with a public no-argument
     *     constructor (the class is loaded, never initialized)
     * @param spec the job
     * @return a handle to the job
     */
    public JobHandle submit(JobSpec spec) {
        Objects.requireNonNull(spec, "spec");
        String sha = spec.jobJar().map(jar -> checkedUpload(jar, spec.entryClass().orElseThrow())).orElse(null);
        JobSubmission submission = Mappers.toSubmission(spec, sha);
        RequestSize.check("the job spec", submission);
        SubmitReply reply = connection.call(c -> c.submit(submission));
        return new JobHandle(connection, reply.getJobId());
    }

    /** The workflow's jobs on the wire, each local jar uploaded once. */
    private io.drover.protocol.thrift.WorkflowSubmission workflowWire(Workflow workflow) {
        io.drover.protocol.thrift.WorkflowSubmission wire = new io.drover.protocol.thrift.WorkflowSubmission(new java.util.ArrayList<>());
        java.util.Map<Path, String> uploaded = new java.util.HashMap<>();
        workflow.jobs().forEach((name, spec) -> {
            String sha = spec.jobJar().map(jar -> uploaded.computeIfAbsent(jar,
                    j -> checkedUpload(j, spec.entryClass().orElseThrow()))).orElse(null);
            wire.getJobs().add(new io.drover.protocol.thrift.WorkflowJob(name, Mappers.toSubmission(spec, sha)));
        });
        return wire;
    }

    /**
     * Submits a {@link Workflow}: uploads the jobs' jars the coordinator lacks, then sends every job
     * at once. The coordinator accepts all of them or none: a dependency on an unknown name or id, or
     * a cycle, is refused with {@link InvalidJobException} naming it. Jobs that depend on others start
     * in {@link JobState#WAITING}. A retry of the same workflow (same idempotency keys) returns the
     * same jobs.
     *
     * @param workflow the jobs
     * @return a handle per job, by its name in the workflow, upstream jobs first
     */
    public java.util.Map<String, JobHandle> submitWorkflow(Workflow workflow) {
        Objects.requireNonNull(workflow, "workflow");
        io.drover.protocol.thrift.WorkflowSubmission wire = workflowWire(workflow);
        RequestSize.check("the workflow", wire);
        io.drover.protocol.thrift.WorkflowReply reply = connection.call(c -> c.workflowSubmit(wire));
        java.util.Map<String, JobHandle> out = new java.util.LinkedHashMap<>();
        reply.getJobs().forEach(j -> out.put(j.getName(), new JobHandle(connection, j.getJobId())));
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * Makes sure the coordinator stores {@code jar} (uploading only what it lacks) and returns
     * the jar's lowercase hex SHA-256, usable with {@link JobSpec#jvmArtifact}.
     *
     * @param jar a job jar
     * @return the jar's lowercase hex SHA-256
     */
    public String uploadArtifact(Path jar) {
        return uploader.upload(Objects.requireNonNull(jar, "jar"));
    }

    private String checkedUpload(Path jar, String entryClass) {
        JobJarCheck.check(jar, entryClass);
        return uploader.upload(jar);
    }

    /**
     * A handle to an existing job. Does not contact the coordinator; an unknown id fails on first use.
     *
     * @param jobId a job id, as submit returned it
     * @return a handle to the job
     */
    public JobHandle job(String jobId) {
        if (jobId == null || jobId.isBlank()) {
            throw new IllegalArgumentException("jobId must not be blank");
        }
        return new JobHandle(connection, jobId);
    }

    /**
     * The most recent jobs, newest first as the coordinator orders them; {@code limit} is 1..10000.
     *
     * @param limit how many jobs at most, 1..10000
     * @return the jobs, without per-task detail
     */
    public List<JobStatus> jobs(int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be 1..10000, was " + limit);
        }
        return connection.call(c -> c.listJobs(limit)).stream().map(Mappers::toJobStatus).toList();
    }

    /**
     * Every agent the leader knows, with its state (ALIVE, SUSPECT, LOST, DRAINING).
     *
     * @return the agents
     */
    public List<AgentStatus> agents() {
        return connection.call(c -> c.listAgents()).stream().map(Mappers::toAgentStatus).toList();
    }

    /**
     * Drains an agent ({@code drain = true}: no new work, running work finishes) or returns it to
     * service ({@code false}). Idempotent. Returns the agent's status after the change.
     *
     * @param agentId the agent's id
     * @param drain true to drain, false to return it to service
     * @return the agent's status after the change
     */
    public AgentStatus drain(String agentId, boolean drain) {
        if (agentId == null || agentId.isBlank()) {
            throw new IllegalArgumentException("agentId must not be blank");
        }
        return Mappers.toAgentStatus(connection.call(c -> c.drainAgent(agentId, drain)));
    }

    /**
     * Decommissions an agent: the leader forgets it, and anything it still ran is re-queued. An
     * agent that heartbeats again later is asked to register anew.
     *
     * @param agentId the agent's id
     * @return the agent's status as it was
     */
    public AgentStatus forgetAgent(String agentId) {
        if (agentId == null || agentId.isBlank()) {
            throw new IllegalArgumentException("agentId must not be blank");
        }
        return Mappers.toAgentStatus(connection.call(c -> c.forgetAgent(agentId)));
    }

    /**
     * Revokes an agent's certificates: the coordinators refuse them from now on and close the
     * agent's connections, its work is re-queued, and its id is free for a new join. The agent must
     * join again with a new join token to come back.
     *
     * @param agentId the agent's id
     * @return the agent's status after the revocation
     */
    public AgentStatus revokeAgent(String agentId) {
        if (agentId == null || agentId.isBlank()) {
            throw new IllegalArgumentException("agentId must not be blank");
        }
        return Mappers.toAgentStatus(connection.call(c -> c.revokeAgent(agentId)));
    }

    // ------------------------------------------------------------------ task output

    /**
     * What task {@code task} of a job (a shard index, or {@link #REDUCE_TASK}) has written to
     * {@code stream} so far, in its newest attempt. The coordinator fetches it from the agent that
     * runs or ran that attempt; output stays on agents only (capped per attempt and stream by the
     * agent's {@code --log-cap}, removed by its log retention). A task that has not started has no
     * output yet (an empty log, attempt 0).
     *
     * @throws InvalidJobException when the job or task is unknown, or the agent holding the output is
     *         gone (lost, decommissioned, or unknown to a leader elected since the task ran)
     * @throws DroverException when the agent has no such output (removed by retention) or does not answer
     * @param jobId the job
     * @param task a shard index, or {@link #REDUCE_TASK}
     * @param stream stdout or stderr
     * @return the output so far, with the attempt it came from
     */
    public TaskLog logs(String jobId, int task, LogStream stream) {
        return logReads.readAll(requireJobId(jobId), task, Objects.requireNonNull(stream, "stream"));
    }

    /**
     * Part of what task {@code task} has written to {@code stream} in its newest attempt: at most {@code maxBytes}
     * (1..262144) from byte {@code offset}; fewer (or none) when it has not written that far. For pagers and web
     * pages that read on from where they stopped; errors as {@link #logs}.
     *
     * @param jobId the job
     * @param task the task's index (the reduce task is the shard count)
     * @param stream stdout or stderr
     * @param offset the first byte to read
     * @param maxBytes the most bytes to return (1..262144)
     * @return the bytes read and where the output stands
     */
    public TaskLog logs(String jobId, int task, LogStream stream, long offset, int maxBytes) {
        return logReads.readFrom(requireJobId(jobId), task, Objects.requireNonNull(stream, "stream"), offset, maxBytes);
    }

    /**
     * Hands {@code sink} the task's output as it is written, on the calling thread, and returns once
     * the task has ended (succeeded, failed or cancelled, no retry to come) and all of its last
     * attempt's output was handed over. When a retry starts, its output follows from its first byte.
     * New output shows up within about a second. Returns whether that output was truncated by the cap.
     *
     * @throws InvalidJobException as {@link #logs}
     * @throws DroverException as {@link #logs}, or when interrupted
     * @param jobId the job
     * @param task a shard index, or {@link #REDUCE_TASK}
     * @param stream stdout or stderr
     * @param sink receives the output in pieces, in order
     * @return whether the output was truncated by the cap
     */
    public boolean followLogs(String jobId, int task, LogStream stream, Consumer<byte[]> sink) {
        return logReads.follow(requireJobId(jobId), task, Objects.requireNonNull(stream, "stream"),
                Objects.requireNonNull(sink, "sink"));
    }

    private static String requireJobId(String jobId) {
        if (jobId == null || jobId.isBlank()) {
            throw new IllegalArgumentException("jobId must not be blank");
        }
        return jobId;
    }

    // ------------------------------------------------------------------ schedules

    /**
     * Adds a cron schedule (uploading its job jar first when it names a local one; for a workflow
     * schedule, every job's jar as {@link #submitWorkflow} does). Returns once
     * the coordinator has persisted it. Adding a schedule identical to an existing one returns
     * that one; a different one of the same name is an {@link InvalidJobException}, as are an
     * invalid cron expression, an unknown zone or artifact, or a local job jar without a usable
     * entry class (checked as in {@link #submit}; the message names them).
     *
     * @param spec the schedule
     * @return the schedule as stored
     */
    public ScheduleStatus addSchedule(ScheduleSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.workflow().isPresent()) {
            io.drover.protocol.thrift.ScheduleSpec wire = ScheduleMappers.toWire(spec, workflowWire(spec.workflow().get()));
            RequestSize.check("the schedule", wire);
            return ScheduleMappers.toStatus(connection.call(c -> c.addSchedule(wire)));
        }
        String sha = spec.job().jobJar().map(jar -> checkedUpload(jar, spec.job().entryClass().orElseThrow())).orElse(null);
        io.drover.protocol.thrift.ScheduleSpec wire = ScheduleMappers.toWire(spec, sha);
        RequestSize.check("the schedule", wire);
        return ScheduleMappers.toStatus(connection.call(c -> c.addSchedule(wire)));
    }

    /**
     * Every schedule, by name.
     *
     * @return the schedules
     */
    public List<ScheduleStatus> schedules() {
        return connection.call(c -> c.listSchedules()).stream().map(ScheduleMappers::toStatus).toList();
    }

    /**
     * One schedule with its run history and next fire times; an unknown name is an {@link InvalidJobException}.
     *
     * @param name the schedule's name
     * @return the schedule
     */
    public ScheduleStatus schedule(String name) {
        String n = requireName(name);
        return ScheduleMappers.toStatus(connection.call(c -> c.getSchedule(n)));
    }

    /**
     * No fires until resumed. Idempotent.
     *
     * @param name the schedule's name
     * @return the schedule after the change
     */
    public ScheduleStatus pauseSchedule(String name) {
        String n = requireName(name);
        return ScheduleMappers.toStatus(connection.call(c -> c.pauseSchedule(n)));
    }

    /**
     * Fires again; times missed while paused are handled by the schedule's misfire policy. Idempotent.
     *
     * @param name the schedule's name
     * @return the schedule after the change
     */
    public ScheduleStatus resumeSchedule(String name) {
        String n = requireName(name);
        return ScheduleMappers.toStatus(connection.call(c -> c.resumeSchedule(n)));
    }

    /**
     * Removes the schedule (runs already started go on) and returns it as it was.
     *
     * @param name the schedule's name
     * @return the schedule as it was
     */
    public ScheduleStatus removeSchedule(String name) {
        String n = requireName(name);
        return ScheduleMappers.toStatus(connection.call(c -> c.removeSchedule(n)));
    }

    /**
     * Starts one run now, outside the cron times. Safe to retry: the request carries a key, so a
     * retry after a lost reply returns the same run. With overlap FORBID and a run still going,
     * the coordinator refuses ({@link InvalidJobException}).
     *
     * @param name the schedule's name
     * @return the run started (or the one a retry already started)
     */
    public ScheduleRun runScheduleNow(String name) {
        String n = requireName(name);
        String requestKey = java.util.UUID.randomUUID().toString();
        return ScheduleMappers.toRun(connection.call(c -> c.runScheduleNow(n, requestKey)));
    }

    // ------------------------------------------------------------------ the coordinators' store

    /**
     * Sizes of what the coordinators keep in ZooKeeper: the fact log, complete artifacts and
     * unfinished uploads. Empty when the leader runs a release without this call.
     *
     * @return the sizes, or empty
     */
    public java.util.Optional<StoreStats> storeStats() {
        io.drover.protocol.thrift.StoreStats s = connection.call(c -> nullFromOlderLeader(() -> c.storeStats()));
        return java.util.Optional.ofNullable(s).map(w -> new StoreStats(w.getFactLogZnodes(), w.getFactLogBytes(),
                w.getCompleteArtifacts(), w.getCompleteArtifactBytes(), w.getUploadsInProgress(), w.getUploadBytes(),
                java.time.Instant.ofEpochMilli(w.getMeasuredAtMs())));
    }

    // ------------------------------------------------------------------ the audit log

    /**
     * Entries of the coordinators' audit log stamped at or after {@code since}, oldest first, at most
     * {@code limit} (1..1000): every submit, cancel, upload, agent and schedule change, and every
     * refusal of one. Needs the {@code audit.read} permission (operator or admin).
     *
     * @param since the oldest time wanted
     * @param limit how many entries at most, 1..1000
     * @return the entries, oldest first
     * @throws AccessDeniedException when this client's token may not read the audit log
     */
    public List<AuditEntry> audit(java.time.Instant since, int limit) {
        Objects.requireNonNull(since, "since");
        if (limit < 1 || limit > 1_000) {
            throw new IllegalArgumentException("limit must be 1..1000, was " + limit);
        }
        long sinceMs = since.toEpochMilli();
        return connection.call(c -> c.readAudit(sinceMs, limit)).stream()
                .map(e -> new AuditEntry(java.time.Instant.ofEpochMilli(e.getAtMs()), e.getWho(), e.getRole(), e.getAction(),
                        e.getTarget(), e.getRemote(), e.getOutcome()))
                .toList();
    }

    // ------------------------------------------------------------------ the task stream

    /**
     * The job's task stream: lanes (agent slots) by at most {@code buckets} (1..200) time buckets, plus each
     * attempt when the job has at most {@code maxAttempts} (0..2000). Needs {@code jobs.read}. Empty when the
     * leader runs a release without this call.
     *
     * @param jobId the job
     * @param buckets time buckets per lane (1..200)
     * @param maxAttempts the most single attempts listed (0..2000); a larger job gets buckets only
     * @return the stream, or empty when the leader cannot give one
     * @throws InvalidJobException when the job is unknown
     */
    public java.util.Optional<TaskStream> taskStream(String jobId, int buckets, int maxAttempts) {
        if (jobId == null || jobId.isBlank()) {
            throw new IllegalArgumentException("jobId must not be blank");
        }
        if (buckets < 1 || buckets > 200) {
            throw new IllegalArgumentException("buckets must be 1..200, was " + buckets);
        }
        if (maxAttempts < 0 || maxAttempts > 2_000) {
            throw new IllegalArgumentException("maxAttempts must be 0..2000, was " + maxAttempts);
        }
        io.drover.protocol.thrift.TaskStreamView v =
                connection.call(c -> nullFromOlderLeader(() -> c.taskStream(jobId, buckets, maxAttempts)));
        return java.util.Optional.ofNullable(v).map(StreamMappers::toTaskStream);
    }

    // ------------------------------------------------------------------ task pages

    /** The task states {@link #tasks} filters by. */
    public static final java.util.Set<String> TASK_STATES =
            java.util.Set.of("PENDING", "RUNNING", "BACKOFF", "SUCCEEDED", "FAILED", "CANCELLED");

    /**
     * One page of a job's tasks: those in {@code state} (null: every task), from the {@code offset}-th of them, at
     * most {@code limit}. The leader builds only the page (a job may have a million tasks); a leader of an older
     * release, without the call, sends every task and the page is cut here. Needs {@code jobs.read}.
     *
     * @param jobId the job
     * @param offset how many matching tasks to skip (>= 0)
     * @param limit the most tasks returned (1..1000)
     * @param state one of {@link #TASK_STATES}, or null for all
     * @return the page
     * @throws InvalidJobException when the job is unknown
     */
    public TaskPage tasks(String jobId, int offset, int limit, String state) {
        if (jobId == null || jobId.isBlank()) {
            throw new IllegalArgumentException("jobId must not be blank");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
        if (limit < 1 || limit > 1_000) {
            throw new IllegalArgumentException("limit must be 1..1000, was " + limit);
        }
        if (state != null && !TASK_STATES.contains(state)) {
            throw new IllegalArgumentException("state must be one of " + new java.util.TreeSet<>(TASK_STATES) + ", was " + state);
        }
        io.drover.protocol.thrift.TaskPageQuery q = new io.drover.protocol.thrift.TaskPageQuery();
        q.setJobId(jobId);
        q.setOffset(offset);
        q.setLimit(limit);
        if (state != null) {
            q.setState(state);
        }
        io.drover.protocol.thrift.TaskPageView v = connection.call(c -> nullFromOlderLeader(() -> c.taskPage(q)));
        if (v == null) { // an older leader: page its full task list here
            JobStatus all = job(jobId).status(true);
            List<TaskStatus> matched = all.tasks().stream().filter(t -> state == null || t.state().equals(state)).toList();
            return new TaskPage(all.jobId(), matched.size(), offset,
                    matched.stream().skip(offset).limit(limit).toList());
        }
        List<TaskStatus> tasks = v.isSetTasks() ? v.getTasks().stream().map(Mappers::toTaskStatus).toList() : List.of();
        return new TaskPage(v.isSetJobId() ? v.getJobId() : jobId, v.getMatched(), v.getOffset(), tasks);
    }

    // ------------------------------------------------------------------ quotas

    /**
     * Sets an owner's quota entry (owner {@link Quota#DEFAULT_OWNER}: the default for owners without one).
     * A null value keeps the entry's (a new entry starts with no cap and weight 1). Running tasks above a
     * lowered cap finish; no new one starts until the owner is under it. Needs {@code quotas.manage}
     * (operator or admin).
     *
     * @param owner the owner, a token subject
     * @param maxRunning the most tasks the owner may run at once ({@link Quota#NO_CAP}: none), or null
     * @param weight its fair-share weight 1..10000, or null
     * @return the entry as set
     * @throws AccessDeniedException when this client's token may not manage quotas
     */
    public Quota setQuota(String owner, Integer maxRunning, Integer weight) {
        io.drover.protocol.thrift.QuotaSpec spec = new io.drover.protocol.thrift.QuotaSpec().setOwner(requireOwner(owner));
        if (maxRunning != null) {
            spec.setMaxRunning(maxRunning);
        }
        if (weight != null) {
            spec.setWeight(weight);
        }
        return Mappers.toQuota(connection.call(c -> quotaCall(() -> c.setQuota(spec))));
    }

    /**
     * Every quota entry, and every owner with running or ready tasks (under the default entry), by owner.
     *
     * @return the quotas with each owner's tasks now
     */
    public List<Quota> quotas() {
        return connection.call(c -> quotaCall(c::listQuotas)).stream().map(Mappers::toQuota).toList();
    }

    /**
     * Removes an owner's quota entry: the default entry applies to it again. Needs {@code quotas.manage}.
     *
     * @param owner the owner
     * @return the entry removed
     * @throws InvalidJobException when the owner has no entry
     */
    public Quota removeQuota(String owner) {
        return Mappers.toQuota(connection.call(c -> quotaCall(() -> c.removeQuota(requireOwner(owner)))));
    }

    /** One Thrift call on a client the connection handed out. */
    @FunctionalInterface
    private interface ThriftCall<T> {
        T get() throws org.apache.thrift.TException;
    }

    private static String requireOwner(String owner) {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("owner must not be blank");
        }
        return owner;
    }

    /** The call's answer, or null when the leader's release does not have the call (not worth retrying). */
    private static <T> T nullFromOlderLeader(ThriftCall<T> call) throws org.apache.thrift.TException {
        try {
            return call.get();
        } catch (org.apache.thrift.TApplicationException e) {
            if (e.getType() == org.apache.thrift.TApplicationException.UNKNOWN_METHOD) {
                return null;
            }
            throw e;
        }
    }

    /** A quota call; a leader of a release without quotas says so instead of an unknown-method error. */
    private static <T> T quotaCall(ThriftCall<T> call) throws org.apache.thrift.TException {
        try {
            return call.get();
        } catch (org.apache.thrift.TApplicationException e) {
            if (e.getType() == org.apache.thrift.TApplicationException.UNKNOWN_METHOD) {
                throw new DroverException("the leading coordinator's release has no quotas; upgrade it first");
            }
            throw e;
        }
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("schedule name must not be blank");
        }
        return name;
    }

    /** Closes the connection. Idempotent; a call in progress fails. */
    @Override
    public void close() {
        connection.close();
    }

    /** Settings of a {@link DroverClient}; {@link #build()} checks them and names the bad one. */
    public static final class Builder {
        private String endpoints;
        private List<Endpoint> parsedEndpoints;
        private String clientName = "drover-sdk";
        private Duration connectTimeout = CallDeadlines.DEFAULTS.connect();
        private Duration helloTimeout = CallDeadlines.DEFAULTS.hello();
        private Duration callTimeout = CallDeadlines.DEFAULTS.call();
        private Duration retryDeadline = Duration.ofSeconds(30);
        private boolean giveUpWhenNothingListens;
        private Credentials credentials = Credentials.insecure();

        private Builder() {
        }

        /**
         * The CA to trust and the token to present. Default {@link Credentials#insecure()}: plaintext,
         * which only a coordinator run with --insecure accepts (a secure one answers that it needs TLS).
         *
         * @param credentials the CA to trust and the token to present
         * @return this builder
         */
        public Builder credentials(Credentials credentials) {
            this.credentials = java.util.Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * Required: comma-separated {@code host:port} coordinator endpoints.
         *
         * @param commaSeparatedEndpoints e.g. {@code "10.0.0.1:7420,10.0.0.2:7420"}
         * @return this builder
         */
        public Builder endpoints(String commaSeparatedEndpoints) {
            this.endpoints = commaSeparatedEndpoints;
            return this;
        }

        /**
         * Required (alternative to the string form): coordinator endpoints as {@code host:port}.
         *
         * @param endpoints e.g. {@code ["10.0.0.1:7420", "10.0.0.2:7420"]}
         * @return this builder
         */
        public Builder endpoints(List<String> endpoints) {
            this.endpoints = String.join(",", endpoints);
            return this;
        }

        /**
         * How this client names itself to coordinators, for their logs. Default "drover-sdk".
         *
         * @param clientName 1..200 characters
         * @return this builder
         */
        public Builder clientName(String clientName) {
            this.clientName = clientName;
            return this;
        }

        /**
         * Time to open a TCP connection to one endpoint. Default 2 s.
         *
         * @param timeout the time, positive
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Time for a coordinator to answer the handshake on a new connection (at most the call timeout).
         * Default 2 s. A frozen coordinator still accepts connections: only this tells it apart.
         *
         * @param timeout the time, positive
         * @return this builder
         */
        public Builder helloTimeout(Duration timeout) {
            this.helloTimeout = timeout;
            return this;
        }

        /**
         * Time to wait for one reply before the call counts as failed and is retried on the other
         * endpoints. Default 5 s. Calls that carry a lot (artifact chunks, job views with every task)
         * or wait on purpose (log reads) get this plus their transfer time or wait.
         *
         * @param timeout the time, positive
         * @return this builder
         */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = timeout;
            return this;
        }

        /**
         * How long one operation keeps retrying before {@link CoordinatorUnavailableException}. Default 30 s.
         *
         * @param deadline 0 to 1 day
         * @return this builder
         */
        public Builder retryDeadline(Duration deadline) {
            this.retryDeadline = deadline;
            return this;
        }

        /**
         * When every endpoint refuses the connection (nothing listens there), give up within about a
         * second with {@link NoCoordinatorListeningException} rather than retry until the deadline. For
         * interactive tools; off by default, so that a program outlives a lone coordinator's restart.
         * Timeouts and elections are retried until the deadline either way.
         *
         * @param giveUp whether to give up early
         * @return this builder
         */
        public Builder giveUpWhenNothingListens(boolean giveUp) {
            this.giveUpWhenNothingListens = giveUp;
            return this;
        }

        /**
         * A client with these settings.
         *
         * @return the client; close it when done
         * @throws IllegalArgumentException naming the setting that is missing or out of range
         */
        public DroverClient build() {
            if (endpoints == null || endpoints.isBlank()) {
                throw new IllegalArgumentException("endpoints must be given, e.g. \"127.0.0.1:7420\"");
            }
            try {
                parsedEndpoints = Endpoint.parseList(endpoints);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("endpoints: " + e.getMessage(), e);
            }
            if (clientName == null || clientName.isBlank() || clientName.length() > 200) {
                throw new IllegalArgumentException("clientName must be 1..200 characters");
            }
            checkMillis("connectTimeout", connectTimeout);
            checkMillis("helloTimeout", helloTimeout);
            checkMillis("callTimeout", callTimeout);
            if (retryDeadline == null || retryDeadline.isNegative() || retryDeadline.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("retryDeadline must be 0..1 day, was " + retryDeadline);
            }
            return new DroverClient(this);
        }

        private static void checkMillis(String field, Duration value) {
            if (value == null || value.toMillis() < 1 || value.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(field + " must be 1 ms.." + Integer.MAX_VALUE + " ms, was " + value);
            }
        }
    }
}
