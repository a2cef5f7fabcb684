package io.drover.sdk;

import io.drover.protocol.CallDeadlines;
import io.drover.sdk.internal.LogReads;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The entry point of the Java SDK: submits jobs to, and asks questions of, the leading Drover coordinator.
 *
 * <p>Leader discovery and retries: the client knows a list of coordinator endpoints and talks to whichever one is the
 * leader, following {@code NotLeader} redirects, moving on from unreachable endpoints and backing off while the leader
 * is unavailable, until the retry deadline ({@link CoordinatorUnavailableException} after that). Retrying is safe for
 * every call: {@link #submit} carries the spec's idempotency key, so a submit retried after a lost reply returns the
 * job created the first time, never a second job.
 *
 * <p>The client connects lazily (the first call finds the leader) and holds one connection; calls from several threads
 * are serialized on it. Open several clients for parallel calls. {@link #close()} releases the connection; handles
 * created by a closed client stop working.
 *
 * <p>Errors are unchecked {@link DroverException}s: {@link InvalidJobException} when the SDK or the coordinator rejects
 * a request (the message names the field), {@link AccessDeniedException} when this client's token does not allow the
 * call (never retried), {@link CoordinatorUnavailableException} when no leader answered in time.
 */
public final class DroverClient implements AutoCloseable {
    /** Stands for a job's reduce step where a task index is asked for (its index is the shard count). */
    public static final int REDUCE_TASK = LogReads.REDUCE_TASK;

    /** The task states {@link #tasks} filters by. */
    public static final Set<String> TASK_STATES =
            Set.of("PENDING", "RUNNING", "BACKOFF", "SUCCEEDED", "FAILED", "CANCELLED");

    private final ClientCalls calls;

    private DroverClient(ClientCalls calls) {
        this.calls = calls;
    }

    /**
     * {@return a client with default settings; close it when done}
     *
     * @param commaSeparatedEndpoints coordinator endpoints, e.g. {@code "10.0.0.1:7420,10.0.0.2:7420"}
     * @throws IllegalArgumentException when an endpoint is not {@code host:port}
     */
    public static DroverClient connect(String commaSeparatedEndpoints) {
        return builder().endpoints(commaSeparatedEndpoints).build();
    }

    /**
     * {@return a client with default settings, secured with {@code credentials}; close it when done}
     *
     * @param commaSeparatedEndpoints coordinator endpoints, {@code host:port} separated by commas
     * @param credentials the CA to trust and the token to present
     */
    public static DroverClient connect(String commaSeparatedEndpoints, Credentials credentials) {
        return builder().endpoints(commaSeparatedEndpoints).credentials(credentials).build();
    }

    /** {@return a builder with the default settings, which {@link Builder#build()} checks} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Submits {@code spec}; returns once the coordinator has persisted the job. A local job jar is hashed and uploaded
     * first (resumably, in chunks, skipped when the coordinator already stores a jar with that hash). A spec whose
     * idempotency key was seen before returns the existing job; a different spec under a used key is refused.
     *
     * @param spec the job
     * @return a handle to the job
     * @throws InvalidJobException for a different spec under a used key; and before anything is sent when the local job
     *     jar lacks the entry class, or it is not a public, concrete {@link ShardedJob} with a public no-argument
     *     constructor (the class is loaded, never initialized)
     */
    public JobHandle submit(JobSpec spec) {
        return calls.submissions().submit(spec);
    }

    /**
     * Submits a {@link Workflow}: uploads the jobs' jars the coordinator lacks, then sends every job at once, accepted
     * all or none (a dependency on an unknown name or id, or a cycle, is an {@link InvalidJobException} naming it).
     * Jobs with upstream jobs start {@link JobState#WAITING}. A retry (same idempotency keys) returns the same jobs.
     *
     * @param workflow the jobs
     * @return a handle per job, by its name in the workflow, upstream jobs first
     */
    public Map<String, JobHandle> submitWorkflow(Workflow workflow) {
        return calls.submissions().submitWorkflow(workflow);
    }

    /**
     * Makes sure the coordinator stores {@code jar}, uploading only what it lacks.
     *
     * @param jar a job jar
     * @return the jar's lowercase hex SHA-256, usable with {@link JobSpec#jvmArtifact}
     */
    public String uploadArtifact(Path jar) {
        return calls.submissions().uploadArtifact(jar);
    }

    /**
     * {@return a handle to an existing job} Does not contact the coordinator; an unknown id fails on first use.
     *
     * @param jobId a job id, as submit returned it
     */
    public JobHandle job(String jobId) {
        return new JobHandle(calls.connection(), Args.nonBlank(jobId, "jobId"));
    }

    /**
     * {@return the most recent jobs, newest first as the coordinator orders them, without per-task detail}
     *
     * @param limit how many jobs at most, 1..10000
     */
    public List<JobStatus> jobs(int limit) {
        return calls.jobs().recent(limit);
    }

    /**
     * {@return one page of a job's tasks in {@code state} (null: every task)} The leader builds only the page; a leader
     * of an older release sends every task and the page is cut here. Needs {@code jobs.read}.
     *
     * @param jobId the job
     * @param offset how many matching tasks to skip (>= 0)
     * @param limit the most tasks returned (1..1000)
     * @param state one of {@link #TASK_STATES}, or null for all
     * @throws InvalidJobException when the job is unknown
     */
    public TaskPage tasks(String jobId, int offset, int limit, String state) {
        return calls.jobs().tasks(jobId, offset, limit, state);
    }

    /**
     * {@return the job's task stream: lanes (agent slots) by time buckets, plus each attempt when the job has at most
     * {@code maxAttempts}; empty when the leader runs a release without this call} Needs {@code jobs.read}.
     *
     * @param jobId the job
     * @param buckets time buckets per lane (1..200)
     * @param maxAttempts the most single attempts listed (0..2000); a larger job gets buckets only
     * @throws InvalidJobException when the job is unknown
     */
    public Optional<TaskStream> taskStream(String jobId, int buckets, int maxAttempts) {
        return calls.jobs().taskStream(jobId, buckets, maxAttempts);
    }

    /** {@return every agent the leader knows, with its state (ALIVE, SUSPECT, LOST, DRAINING)} */
    public List<AgentStatus> agents() {
        return calls.agents().list();
    }

    /**
     * Drains an agent (no new work, running work finishes) or returns it to service. Idempotent.
     *
     * @param agentId the agent's id
     * @param drain true to drain, false to return it to service
     * @return the agent's status after the change
     */
    public AgentStatus drain(String agentId, boolean drain) {
        return calls.agents().drain(agentId, drain);
    }

    /**
     * Decommissions an agent: the leader forgets it, and anything it still ran is re-queued. An agent that heartbeats
     * again later is asked to register anew.
     *
     * @param agentId the agent's id
     * @return the agent's status as it was
     */
    public AgentStatus forgetAgent(String agentId) {
        return calls.agents().forget(agentId);
    }

    /**
     * Revokes an agent's certificates: the coordinators refuse them and close its connections, its work is re-queued,
     * its id is free for a new join. To come back, the agent must join again with a new join token.
     *
     * @param agentId the agent's id
     * @return the agent's status after the revocation
     */
    public AgentStatus revokeAgent(String agentId) {
        return calls.agents().revoke(agentId);
    }

    /**
     * {@return what task {@code task} of a job has written to {@code stream} so far, in its newest attempt} The
     * coordinator fetches it from the agent that runs or ran that attempt: output stays on agents only, until their log
     * retention removes it.
     *
     * @throws InvalidJobException when the job or task is unknown, or the agent holding the output is gone (lost,
     *     decommissioned, or unknown to a leader elected since the task ran)
     * @throws DroverException when the agent has no such output (removed by retention) or does not answer
     * @param jobId the job
     * @param task a shard index, or {@link #REDUCE_TASK}
     * @param stream stdout or stderr
     */
    public TaskLog logs(String jobId, int task, LogStream stream) {
        return calls.logs().readAll(Args.nonBlank(jobId, "jobId"), task, Objects.requireNonNull(stream, "stream"));
    }

    /**
     * {@return part of {@link #logs(String, int, LogStream)}, with where the output stands: at most {@code maxBytes}
     * from byte {@code offset}; fewer (or none) when the task has not written that far} For pagers and web pages that
     * read on from where they stopped.
     *
     * @param jobId the job
     * @param task the task's index (the reduce task is the shard count)
     * @param stream stdout or stderr
     * @param offset the first byte to read
     * @param maxBytes the most bytes to return (1..262144)
     */
    public TaskLog logs(String jobId, int task, LogStream stream, long offset, int maxBytes) {
        return calls.logs().readFrom(Args.nonBlank(jobId, "jobId"), task, Objects.requireNonNull(stream, "stream"),
                offset, maxBytes);
    }

    /**
     * Hands {@code sink} the task's output as it is written, on the calling thread, until the task has ended (no retry
     * to come) and all of its last attempt's output was handed over; a retry's output follows from its first byte. New
     * output shows up within about a second.
     *
     * @throws DroverException as {@link #logs} (an {@link InvalidJobException} included), or when interrupted
     * @param jobId the job
     * @param task a shard index, or {@link #REDUCE_TASK}
     * @param stream stdout or stderr
     * @param sink receives the output in pieces, in order
     * @return whether the output was truncated by the cap
     */
    public boolean followLogs(String jobId, int task, LogStream stream, Consumer<byte[]> sink) {
        return calls.logs().follow(Args.nonBlank(jobId, "jobId"), task, Objects.requireNonNull(stream, "stream"),
                Objects.requireNonNull(sink, "sink"));
    }

    /**
     * Adds a cron schedule, its local job jars uploaded first as {@link #submit} and {@link #submitWorkflow} do;
     * returns once the coordinator has persisted it. Adding one identical to an existing schedule returns that one.
     *
     * @param spec the schedule
     * @return the schedule as stored
     * @throws InvalidJobException naming the problem: a different schedule of the same name, an invalid cron
     *     expression, an unknown zone or artifact, a local job jar without a usable entry class
     */
    public ScheduleStatus addSchedule(ScheduleSpec spec) {
        return calls.schedules().add(spec);
    }

    /** {@return every schedule, by name} */
    public List<ScheduleStatus> schedules() {
        return calls.schedules().list();
    }

    /**
     * {@return one schedule with its run history and next fire times} An unknown name is an
     * {@link InvalidJobException}.
     *
     * @param name the schedule's name
     */
    public ScheduleStatus schedule(String name) {
        return calls.schedules().get(name);
    }

    /**
     * No fires until resumed. Idempotent.
     *
     * @param name the schedule's name
     * @return the schedule after the change
     */
    public ScheduleStatus pauseSchedule(String name) {
        return calls.schedules().pause(name);
    }

    /**
     * Fires again; times missed while paused are handled by the schedule's misfire policy. Idempotent.
     *
     * @param name the schedule's name
     * @return the schedule after the change
     */
    public ScheduleStatus resumeSchedule(String name) {
        return calls.schedules().resume(name);
    }

    /**
     * Removes the schedule (runs already started go on) and returns it as it was.
     *
     * @param name the schedule's name
     * @return the schedule as it was
     */
    public ScheduleStatus removeSchedule(String name) {
        return calls.schedules().remove(name);
    }

    /**
     * Starts one run now, outside the cron times; a retry after a lost reply returns the same run (the request carries
     * a key). With overlap FORBID and a run still going, the coordinator refuses ({@link InvalidJobException}).
     *
     * @param name the schedule's name
     * @return the run started (or the one a retry already started)
     */
    public ScheduleRun runScheduleNow(String name) {
        return calls.schedules().runNow(name);
    }

    /**
     * {@return sizes of what the coordinators keep in ZooKeeper: the fact log, complete artifacts and unfinished
     * uploads; empty when the leader runs a release without this call}
     */
    public Optional<StoreStats> storeStats() {
        return calls.storeAndAudit().storeStats();
    }

    /**
     * {@return the coordinators' audit log entries stamped at or after {@code since}, oldest first} Needs
     * {@code audit.read} (operator or admin).
     *
     * @param since the oldest time wanted
     * @param limit how many entries at most, 1..1000
     * @throws AccessDeniedException when this client's token may not read the audit log
     */
    public List<AuditEntry> audit(Instant since, int limit) {
        return calls.storeAndAudit().audit(since, limit);
    }

    /**
     * Sets an owner's quota entry (owner {@link Quota#DEFAULT_OWNER}: the default entry). A null value keeps the
     * entry's (a new entry starts with no cap and weight 1). Running tasks above a lowered cap finish; no new one
     * starts until the owner is under it. Needs {@code quotas.manage} (operator or admin).
     *
     * @param owner the owner, a token subject
     * @param maxRunning the most tasks the owner may run at once ({@link Quota#NO_CAP}: none), or null
     * @param weight its fair-share weight 1..10000, or null
     * @return the entry as set
     * @throws AccessDeniedException when this client's token may not manage quotas
     */
    public Quota setQuota(String owner, Integer maxRunning, Integer weight) {
        return calls.quotas().set(owner, maxRunning, weight);
    }

    /** {@return every quota entry, and every owner with running or ready tasks (under the default entry), by owner} */
    public List<Quota> quotas() {
        return calls.quotas().list();
    }

    /**
     * Removes an owner's quota entry: the default entry applies to it again. Needs {@code quotas.manage}.
     *
     * @param owner the owner
     * @return the entry removed
     * @throws InvalidJobException when the owner has no entry
     */
    public Quota removeQuota(String owner) {
        return calls.quotas().remove(owner);
    }

    /** Closes the connection. Idempotent; a call in progress fails. */
    @Override
    public void close() {
        calls.connection().close();
    }

    /** Settings of a {@link DroverClient}; {@link #build()} checks them and names the bad one. */
    public static final class Builder {
        private String endpoints;
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
         * The CA to trust and the token to present. Default {@link Credentials#insecure()}: plaintext, which only a
         * coordinator run with --insecure accepts (a secure one answers that it needs TLS).
         *
         * @param credentials the CA to trust and the token to present
         * @return this builder
         */
        public Builder credentials(Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
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
         * Time for a coordinator to answer the handshake on a new connection (at most the call timeout). Default 2 s. A
         * frozen coordinator still accepts connections: only this tells it apart.
         *
         * @param timeout the time, positive
         * @return this builder
         */
        public Builder helloTimeout(Duration timeout) {
            this.helloTimeout = timeout;
            return this;
        }

        /**
         * Time to wait for one reply before the call counts as failed and is retried on the other endpoints. Default
         * 5 s. Calls that carry a lot (artifact chunks, job views with every task) or wait on purpose (log reads) get
         * this plus their transfer time or wait.
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
         * When every endpoint refuses the connection (nothing listens there), give up within about a second with
         * {@link NoCoordinatorListeningException} rather than retry until the deadline. For interactive tools; off by
         * default, so that a program outlives a lone coordinator's restart. Timeouts and elections are retried until
         * the deadline either way.
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
            ClientSettings settings = ClientSettings.checked(endpoints, clientName, connectTimeout, helloTimeout,
                    callTimeout, retryDeadline, giveUpWhenNothingListens, credentials);
            return new DroverClient(ClientCalls.over(settings.connection()));
        }
    }
}
