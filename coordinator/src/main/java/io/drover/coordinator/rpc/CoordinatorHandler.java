package io.drover.coordinator.rpc;

import io.drover.coordinator.core.AgentState;
import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.engine.LeadershipLostException;
import io.drover.coordinator.store.ArtifactStore;
import io.drover.coordinator.store.StoreException;
import io.drover.protocol.PeerNames;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentView;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.LogChunk;
import io.drover.protocol.thrift.LogRequest;
import io.drover.protocol.thrift.LogStream;
import io.drover.protocol.thrift.ArtifactStatus;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.IncompatibleVersion;
import io.drover.protocol.thrift.InvalidRequest;
import io.drover.protocol.thrift.JobDescriptor;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.JobView;
import io.drover.protocol.thrift.NotLeader;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.SubmitReply;
import io.drover.protocol.thrift.Unavailable;
import io.drover.protocol.thrift.droverConstants;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.apache.thrift.TException;
import org.apache.thrift.async.AsyncMethodCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Thrift face of a coordinator. Non-blocking: scheduling calls become events for the core
 * loop and the reply is sent when the core (after its group commit) answers, so a parked long
 * poll holds no thread. Artifact I/O, which blocks on ZooKeeper, runs on a small I/O pool.
 * A standby answers everything but {@code hello} with {@link NotLeader} naming the leader.
 */
public final class CoordinatorHandler implements AgentService.AsyncIface, ClientService.AsyncIface {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorHandler.class);
    private static final long MAX_POLL_WAIT_MS = 60_000;

    private final Leadership leadership;
    private final ExecutorService io;
    private final long maxArtifactBytes;
    private final ConnectionTracker connections;
    private final LogRelay logs;

    public CoordinatorHandler(Leadership leadership, ExecutorService io, long maxArtifactBytes, LogRelay logs) {
        this.leadership = leadership;
        this.io = io;
        this.maxArtifactBytes = maxArtifactBytes;
        this.connections = new ConnectionTracker(leadership);
        this.logs = logs;
    }

    /** Hooks into the server's connection lifecycle to learn when an agent's connection drops. */
    public org.apache.thrift.server.TServerEventHandler connectionEvents() {
        return connections;
    }

    @Override
    public void hello(Hello hello, AsyncMethodCallback<ServerInfo> done) {
        int v = hello == null ? 0 : hello.getProtocolVersion();
        if (v < droverConstants.MIN_PROTOCOL_VERSION) {
            done.onError(new IncompatibleVersion("protocol version " + v + " is not supported; this coordinator speaks "
                    + droverConstants.MIN_PROTOCOL_VERSION + ".." + droverConstants.PROTOCOL_VERSION,
                    droverConstants.MIN_PROTOCOL_VERSION, droverConstants.PROTOCOL_VERSION));
            return;
        }
        PeerNames.agentId(hello.getPeerName()).ifPresent(id -> connections.current().agentId = id);
        var term = leadership.activeTerm();
        ServerInfo info = new ServerInfo(droverConstants.PROTOCOL_VERSION, droverConstants.MIN_PROTOCOL_VERSION,
                leadership.coordinatorId(), term.isPresent(), term.map(t -> t.epoch().value()).orElse(0L));
        leadership.leaderHint().ifPresent(info::setLeaderEndpoint);
        done.onComplete(info);
    }

    // ------------------------------------------------------------------ agents

    @Override
    public void registerAgent(AgentRegistration r, AsyncMethodCallback<Void> done) {
        if (r == null || r.getAgentId() == null || r.getAgentId().isBlank() || r.getSlots() < 1) {
            done.onError(new InvalidRequest("registration needs an agentId and slots >= 1"));
            return;
        }
        if (r.getProtocolVersion() < droverConstants.MIN_PROTOCOL_VERSION) {
            done.onError(new IncompatibleVersion("agent protocol " + r.getProtocolVersion() + " too old",
                    droverConstants.MIN_PROTOCOL_VERSION, droverConstants.PROTOCOL_VERSION));
            return;
        }
        Map<String, String> labels = r.getLabels() == null ? Map.of() : r.getLabels();
        connections.current().agentId = r.getAgentId();
        toCore(done, (id, now) -> new Event.RegisterAgent(id, now, r.getAgentId(), r.getHost(), r.getSlots(), labels,
                        r.getSoftwareVersion()),
                resp -> {
                    log.info("agent {} registered from {} with {} slots, labels {}, version {}", r.getAgentId(), r.getHost(),
                            r.getSlots(), labels, r.getSoftwareVersion());
                    return null;
                });
    }

    @Override
    public void heartbeat(HeartbeatRequest q, AsyncMethodCallback<HeartbeatReply> done) {
        if (q == null || q.getAgentId() == null) {
            done.onError(new InvalidRequest("heartbeat needs an agentId"));
            return;
        }
        var reports = WireMapper.reports(q.getResults(), WireLimits.MAX_RESULT_BYTES);
        var running = WireMapper.running(q.getRunning());
        long wait = Math.max(0, Math.min(MAX_POLL_WAIT_MS, q.getMaxWaitMs()));
        ConnectionTracker.Connection conn = connections.current();
        conn.agentId = q.getAgentId();
        toCore(done, (id, now) -> {
                    if (wait > 0) {
                        conn.lastPollRequest = id;
                    }
                    return new Event.Heartbeat(id, now, q.getAgentId(), reports, running, q.isDraining(), wait);
                },
                resp -> withLogRequests(WireMapper.heartbeatReply((Response.HeartbeatAnswer) resp), q.getAgentId()));
    }

    @Override
    public void describeJob(String jobId, AsyncMethodCallback<JobDescriptor> done) {
        toCore(done, (id, now) -> new Event.Query(id, now, Event.QueryKind.JOB_DEFINITION, jobId, false, false, 0),
                resp -> WireMapper.descriptor(((Response.JobDefinitionAnswer) resp).definition()));
    }

    @Override
    public void fetchArtifact(String sha256, long offset, int maxBytes, AsyncMethodCallback<ArtifactChunk> done) {
        onIo(done, term -> {
            ArtifactStore.Status st = term.artifacts().status(sha256).filter(ArtifactStore.Status::complete)
                    .orElseThrow(() -> new IllegalArgumentException("unknown artifact " + sha256));
            int limit = Math.max(1, Math.min(maxBytes, WireLimits.ARTIFACT_CHUNK_BYTES));
            byte[] data = term.artifacts().read(sha256, offset, limit);
            return new ArtifactChunk(sha256, offset, java.nio.ByteBuffer.wrap(data), hex(data), st.size());
        });
    }

    @Override
    public void deliverLog(String agentId, LogChunk chunk, AsyncMethodCallback<Void> done) {
        if (agentId == null || chunk == null) {
            done.onError(new InvalidRequest("deliverLog needs an agentId and a chunk"));
            return;
        }
        try {
            if (!logs.deliver(agentId, chunk)) {
                log.debug("agent {} answered log request {} after its reader stopped waiting; dropped", agentId,
                        chunk.getRequestId());
            }
            done.onComplete(null);
        } catch (IllegalArgumentException e) {
            done.onError(new InvalidRequest(e.getMessage()));
        }
    }

    // ------------------------------------------------------------------ clients

    /**
     * Finds where the task's newest attempt ran, asks that agent for the piece and answers when it
     * does, or after {@code waitMs} with an empty chunk of size {@link LogRelay#NO_ANSWER}. A task
     * that has not started yet has an empty output; an agent the leader no longer reaches is an error.
     */
    @Override
    public void readLog(String jobId, int task, LogStream stream, long offset, int maxBytes, long waitMs,
                        AsyncMethodCallback<LogChunk> done) {
        if (jobId == null || stream == null || offset < 0) {
            done.onError(new InvalidRequest("readLog needs a jobId, a stream and an offset >= 0"));
            return;
        }
        int limit = Math.max(1, Math.min(maxBytes, WireLimits.LOG_CHUNK_BYTES));
        long wait = Math.max(0, Math.min(waitMs, WireLimits.MAX_LOG_WAIT_MS));
        var term = leadership.activeTerm();
        toCoreThen(done, (id, now) -> new Event.LocateTask(id, now, jobId, task))
                .thenApply(resp -> (Response.TaskLocation) resp)
                .thenAccept(where -> {
                    if (where.attempts() == 0) {
                        done.onComplete(new LogChunk(0, jobId, task, 0, stream, offset, ByteBuffer.allocate(0),
                                where.taskEnded(), 0, false));
                        return;
                    }
                    String unreachable = unreachable(where);
                    if (unreachable != null) {
                        done.onError(new InvalidRequest(unreachable));
                        return;
                    }
                    CompletableFuture<LogChunk> chunk;
                    try {
                        chunk = logs.request(where.agentId(), jobId, task, where.attemptId(), stream, offset, limit, wait);
                    } catch (IllegalStateException e) {
                        done.onError(new Unavailable(e.getMessage()));
                        return;
                    }
                    term.ifPresent(t -> t.loop().tell(new Event.WakeAgent(t.loop().nowMs(), where.agentId())));
                    chunk.whenComplete((c, error) -> {
                        if (error != null) {
                            done.onError(translate(error));
                        } else {
                            done.onComplete(c);
                        }
                    });
                });
    }

    /** Why the agent holding the task's output cannot be asked, or null when it can. */
    private static String unreachable(Response.TaskLocation where) {
        String what = "task " + where.task() + " of job " + where.jobId();
        if (where.agentId() == null) {
            return "the agent that ran " + what + " is not known to this coordinator (it ran before the current "
                    + "leader took over); its output stays on that agent until log retention removes it";
        }
        if (where.agentState() == null) {
            return "agent " + where.agentId() + " that ran " + what + " is gone (decommissioned); its output cannot be read";
        }
        if (where.agentState() == AgentState.LOST) {
            return "agent " + where.agentId() + " that ran " + what + " is LOST; its output can be read once it is back";
        }
        return null;
    }

    private HeartbeatReply withLogRequests(HeartbeatReply reply, String agentId) {
        List<LogRequest> requests = logs.takeFor(agentId);
        if (!requests.isEmpty()) {
            reply.setLogRequests(requests);
        }
        return reply;
    }

    @Override
    public void beginUpload(String sha256, long size, AsyncMethodCallback<ArtifactStatus> done) {
        onIo(done, term -> {
            if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("artifact sha256 must be 64 lowercase hex characters");
            }
            if (size <= 0 || size > maxArtifactBytes) {
                throw new IllegalArgumentException("artifact size " + size + " outside 1.." + maxArtifactBytes + " bytes");
            }
            return status(term.artifacts().begin(term.epoch(), sha256, size));
        });
    }

    @Override
    public void uploadChunk(ArtifactChunk chunk, AsyncMethodCallback<ArtifactStatus> done) {
        onIo(done, term -> {
            if (chunk == null || chunk.getData() == null) {
                throw new IllegalArgumentException("chunk without data");
            }
            byte[] data = chunk.getData();
            if (!hex(data).equals(chunk.getChunkSha256())) {
                throw new IllegalArgumentException("chunk at offset " + chunk.getOffset() + " of " + chunk.getSha256()
                        + " does not match its checksum; resend it");
            }
            return status(term.artifacts().append(term.epoch(), chunk.getSha256(), chunk.getOffset(), data));
        });
    }

    @Override
    public void submit(JobSubmission job, AsyncMethodCallback<SubmitReply> done) {
        onIoThen(done, term -> Submissions.toDefinition(job, term.artifacts()))
                .thenAccept(def -> toCore(done, (id, now) -> new Event.SubmitJob(id, now, def), resp -> {
                    Response.Submitted s = (Response.Submitted) resp;
                    if (!s.duplicate()) {
                        log.info("accepted job {} '{}' from {}: {} shards{}", s.jobId(), def.name(), def.owner(),
                                def.shardCount(), def.reduce() ? " + reduce" : "");
                    }
                    return new SubmitReply(s.jobId(), s.duplicate());
                }));
    }

    @Override
    public void getJob(String jobId, boolean withTasks, boolean withShardResults, AsyncMethodCallback<JobView> done) {
        toCore(done, (id, now) -> new Event.Query(id, now, Event.QueryKind.JOB, jobId, withTasks, withShardResults, 0),
                resp -> WireMapper.jobView((Response.JobSnapshot) resp));
    }

    @Override
    public void listJobs(int limit, AsyncMethodCallback<List<JobView>> done) {
        toCore(done, (id, now) -> new Event.Query(id, now, Event.QueryKind.JOBS, null, false, false, limit <= 0 ? 100 : limit),
                resp -> {
                    List<JobView> out = new ArrayList<>();
                    ((Response.JobList) resp).jobs().forEach(j -> out.add(WireMapper.jobView(j)));
                    return out;
                });
    }

    @Override
    public void cancelJob(String jobId, AsyncMethodCallback<JobView> done) {
        toCore(done, (id, now) -> new Event.CancelJob(id, now, jobId), resp -> WireMapper.jobView((Response.JobSnapshot) resp));
    }

    @Override
    public void listAgents(AsyncMethodCallback<List<AgentView>> done) {
        toCore(done, (id, now) -> new Event.Query(id, now, Event.QueryKind.AGENTS, null, false, false, 0), resp -> {
            List<AgentView> out = new ArrayList<>();
            ((Response.AgentList) resp).agents().forEach(a -> out.add(WireMapper.agentView(a)));
            return out;
        });
    }

    @Override
    public void drainAgent(String agentId, boolean drain, AsyncMethodCallback<AgentView> done) {
        toCore(done, (id, now) -> new Event.DrainAgent(id, now, agentId, drain),
                resp -> WireMapper.agentView((Response.AgentSnapshot) resp));
    }

    @Override
    public void forgetAgent(String agentId, AsyncMethodCallback<AgentView> done) {
        toCore(done, (id, now) -> new Event.ForgetAgent(id, now, agentId), resp -> {
            log.info("agent {} decommissioned: forgotten by the coordinator", agentId);
            return WireMapper.agentView((Response.AgentSnapshot) resp);
        });
    }

    // ------------------------------------------------------------------ schedules

    @Override
    public void addSchedule(io.drover.protocol.thrift.ScheduleSpec spec,
                            AsyncMethodCallback<io.drover.protocol.thrift.ScheduleView> done) {
        onIoThen(done, term -> ScheduleWire.toDefinition(spec, term.artifacts())).thenAccept(def ->
                onSchedule(done, def.id(), new io.drover.coordinator.core.ScheduleOp.Add(def), ScheduleWire::view));
    }

    @Override
    public void listSchedules(AsyncMethodCallback<List<io.drover.protocol.thrift.ScheduleView>> done) {
        onSchedule(done, null, new io.drover.coordinator.core.ScheduleOp.ListAll(), (answer, now) -> {
            List<io.drover.protocol.thrift.ScheduleView> out = new ArrayList<>();
            answer.schedules().forEach(s -> out.add(ScheduleWire.view(s, now)));
            return out;
        });
    }

    @Override
    public void getSchedule(String name, AsyncMethodCallback<io.drover.protocol.thrift.ScheduleView> done) {
        onSchedule(done, null, new io.drover.coordinator.core.ScheduleOp.Get(name), ScheduleWire::view);
    }

    @Override
    public void pauseSchedule(String name, AsyncMethodCallback<io.drover.protocol.thrift.ScheduleView> done) {
        onSchedule(done, name, new io.drover.coordinator.core.ScheduleOp.SetPaused(name, true), ScheduleWire::view);
    }

    @Override
    public void resumeSchedule(String name, AsyncMethodCallback<io.drover.protocol.thrift.ScheduleView> done) {
        onSchedule(done, name, new io.drover.coordinator.core.ScheduleOp.SetPaused(name, false), ScheduleWire::view);
    }

    @Override
    public void removeSchedule(String name, AsyncMethodCallback<io.drover.protocol.thrift.ScheduleView> done) {
        onSchedule(done, name, new io.drover.coordinator.core.ScheduleOp.Remove(name), ScheduleWire::view);
    }

    @Override
    public void runScheduleNow(String name, String requestKey,
                               AsyncMethodCallback<io.drover.protocol.thrift.ScheduleRunView> done) {
        if (requestKey == null || requestKey.isBlank() || requestKey.length() > 200) {
            done.onError(new InvalidRequest("runScheduleNow needs a requestKey of 1..200 characters"));
            return;
        }
        onSchedule(done, null, new io.drover.coordinator.core.ScheduleOp.RunNow(name, requestKey),
                (answer, now) -> ScheduleWire.run(answer.run()));
    }

    /** A schedule request to the core; a change re-arms the schedule's trigger once it is durable. */
    private <T> void onSchedule(AsyncMethodCallback<T> done, String changed, io.drover.coordinator.core.ScheduleOp op,
                                java.util.function.BiFunction<Response.ScheduleAnswer, Long, T> map) {
        var term = leadership.activeTerm();
        toCore(done, (id, now) -> new Event.ScheduleCommand(id, now, op), resp -> {
            if (changed != null) {
                term.ifPresent(t -> t.triggers().changed(changed));
            }
            return map.apply((Response.ScheduleAnswer) resp, term.map(t -> t.loop().nowMs()).orElse(0L));
        });
    }

    // ------------------------------------------------------------------ plumbing

    /** Builds an event from (requestId, nowMs). */
    @FunctionalInterface
    private interface EventFactory {
        Event make(long requestId, long nowMs);
    }

    private <T> void toCore(AsyncMethodCallback<T> done, EventFactory event, Function<Response, T> map) {
        toCoreThen(done, event).thenAccept(resp -> {
            try {
                done.onComplete(map.apply(resp));
            } catch (RuntimeException e) {
                log.error("failed to answer a request", e);
                done.onError(new Unavailable("internal error: " + e));
            }
        });
    }

    /**
     * Hands the core an event. Errors and rejections are answered here; the returned future
     * completes (on the core's thread) only with a real answer, for the caller to continue with.
     */
    private <T> CompletableFuture<Response> toCoreThen(AsyncMethodCallback<T> done, EventFactory event) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        var term = leadership.activeTerm();
        if (term.isEmpty()) {
            done.onError(notLeader());
            return result;
        }
        var loop = term.get().loop();
        LongFunction<Event> build = id -> event.make(id, loop.nowMs());
        loop.offer(build).whenComplete((resp, error) -> {
            if (error != null) {
                done.onError(translate(error));
            } else if (resp instanceof Response.Rejected r) {
                done.onError(new InvalidRequest(r.message()));
            } else {
                result.complete(resp);
            }
        });
        return result;
    }

    /** Runs blocking store work off the Thrift threads and answers with its value. */
    private <T> void onIo(AsyncMethodCallback<T> done, IoWork<T> work) {
        onIoThen(done, work).thenAccept(done::onComplete);
    }

    /**
     * Runs blocking store work off the Thrift threads. Errors are answered here; the returned
     * future completes only on success, for the caller to continue with.
     */
    private <T, R> CompletableFuture<R> onIoThen(AsyncMethodCallback<T> done, IoWork<R> work) {
        CompletableFuture<R> result = new CompletableFuture<>();
        var term = leadership.activeTerm();
        if (term.isEmpty()) {
            done.onError(notLeader());
            return result;
        }
        CompletableFuture.supplyAsync(() -> work.run(term.get()), io).whenComplete((value, error) -> {
            if (error != null) {
                done.onError(translate(error));
            } else {
                result.complete(value);
            }
        });
        return result;
    }

    @FunctionalInterface
    private interface IoWork<R> {
        R run(LeaderTerm term);
    }

    private Exception translate(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof IllegalArgumentException) {
            return new InvalidRequest(e.getMessage());
        }
        if (e instanceof LeadershipLostException) {
            return notLeader();
        }
        if (e instanceof StoreException) {
            return new Unavailable(e.getMessage());
        }
        if (e instanceof TException t) {
            return t;
        }
        log.error("unexpected error serving a request", e);
        return new Unavailable("internal error: " + e);
    }

    private NotLeader notLeader() {
        NotLeader n = new NotLeader("coordinator " + leadership.coordinatorId() + " is not the leader");
        leadership.leaderHint().ifPresent(n::setLeaderEndpoint);
        return n;
    }

    private static ArtifactStatus status(ArtifactStore.Status s) {
        return new ArtifactStatus(s.sha256(), s.size(), s.complete(), s.bytesReceived());
    }

    private static String hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }
}
