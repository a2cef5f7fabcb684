package io.drover.coordinator.rpc;

import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.core.TaskState;
import io.drover.coordinator.secrets.SecretSealer;
import io.drover.protocol.thrift.AgentView;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.BlobChunk;
import io.drover.protocol.thrift.ArtifactStatus;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.JobView;
import io.drover.protocol.thrift.LogChunk;
import io.drover.protocol.thrift.LogStream;
import io.drover.protocol.thrift.ScheduleRunView;
import io.drover.protocol.thrift.ScheduleSpec;
import io.drover.protocol.thrift.ScheduleView;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.StoreStats;
import io.drover.protocol.thrift.SubmitReply;
import java.util.List;
import org.apache.thrift.async.AsyncMethodCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What clients (SDK, CLI, dashboard) call: jobs and agents here; uploads, log reads and schedules
 * in their own helpers. Submits are validated against the artifact store on the I/O pool, then
 * made durable by the core before they are acknowledged. A standby answers everything but
 * {@code hello} with NotLeader naming the leader.
 */
public final class ClientEndpoint implements ClientService.AsyncIface {
    private static final Logger log = LoggerFactory.getLogger(ClientEndpoint.class);

    private final CoreGateway core;
    private final Handshake handshake;
    private final ArtifactCalls artifacts;
    private final ResultBlobCalls blobs;
    private final LogReadCalls logs;
    private final ScheduleCalls schedules;
    private final SecretSealer secrets;
    private final AgentRevocations revocations;
    private final TaskStreams streams;

    ClientEndpoint(CoreGateway core, Handshake handshake, ArtifactCalls artifacts, LogReadCalls logs,
                   ScheduleCalls schedules, SecretSealer secrets, AgentRevocations revocations, TaskStreams streams) {
        this.streams = streams;
        this.secrets = secrets;
        this.revocations = revocations;
        this.core = core;
        this.handshake = handshake;
        this.artifacts = artifacts;
        this.blobs = new ResultBlobCalls(core);
        this.logs = logs;
        this.schedules = schedules;
    }

    @Override
    public void hello(Hello hello, AsyncMethodCallback<ServerInfo> done) {
        handshake.hello(hello, done);
    }

    // ------------------------------------------------------------------ jobs

    @Override
    public void beginUpload(String sha256, long size, AsyncMethodCallback<ArtifactStatus> done) {
        artifacts.beginUpload(sha256, size, done);
    }

    @Override
    public void uploadChunk(ArtifactChunk chunk, AsyncMethodCallback<ArtifactStatus> done) {
        artifacts.uploadChunk(chunk, done);
    }

    @Override
    public void submit(JobSubmission job, AsyncMethodCallback<SubmitReply> done) {
        core.onIoThen(done, term -> Submissions.toDefinition(job, term.artifacts(), secrets))
                .thenAccept(def -> core.answer(done, CoreAsk.submit(def), submitted -> {
                    if (!submitted.duplicate()) {
                        log.info("accepted job {} '{}' from {}: {} shards{}", submitted.jobId(), def.name(), def.owner(),
                                def.shardCount(), def.reduce() ? " + reduce" : "");
                    }
                    return new SubmitReply(submitted.jobId(), submitted.duplicate());
                }));
    }

    @Override
    public void workflowSubmit(io.drover.protocol.thrift.WorkflowSubmission workflow,
                               AsyncMethodCallback<io.drover.protocol.thrift.WorkflowReply> done) {
        core.onIoThen(done, term -> Workflows.toJobs(workflow, term.artifacts(), secrets))
                .thenAccept(jobs -> core.answer(done, CoreAsk.workflow(jobs), submitted -> {
                    if (!submitted.duplicate()) {
                        log.info("accepted workflow of {} jobs: {}", submitted.jobIds().size(), submitted.jobIds());
                    }
                    return Workflows.reply(submitted);
                }));
    }

    @Override
    public void getJob(String jobId, boolean withTasks, boolean withShardResults, AsyncMethodCallback<JobView> done) {
        CoreAsk<Response.JobSnapshot> ask = CoreAsk.job(jobId, withTasks, withShardResults);
        if (withTasks || withShardResults) {
            core.answerOffLoop(done, ask, WireMapper::jobView); // up to a million tasks or shard results
        } else {
            core.answer(done, ask, WireMapper::jobView);
        }
    }

    /** Checked by ClientRequests: a job id, offset >= 0, limit 1..1000, state a task state or unset. */
    @Override
    public void taskPage(io.drover.protocol.thrift.TaskPageQuery q,
                         AsyncMethodCallback<io.drover.protocol.thrift.TaskPageView> done) {
        Event.TaskFilter page = new Event.TaskFilter(q.getOffset(), q.getLimit(),
                q.isSetState() ? TaskState.valueOf(q.getState()) : null);
        core.answerOffLoop(done, CoreAsk.taskPage(q.getJobId(), page), WireMapper::taskPage);
    }

    @Override
    public void listJobs(int limit, AsyncMethodCallback<List<JobView>> done) {
        core.answer(done, CoreAsk.jobs(limit <= 0 ? 100 : limit),
                answer -> answer.jobs().stream().map(WireMapper::jobView).toList());
    }

    @Override
    public void cancelJob(String jobId, AsyncMethodCallback<JobView> done) {
        core.answer(done, CoreAsk.cancel(jobId), WireMapper::jobView);
    }

    @Override
    public void readLog(String jobId, int task, LogStream stream, long offset, int maxBytes, long waitMs,
                        AsyncMethodCallback<LogChunk> done) {
        logs.readLog(jobId, task, stream, offset, maxBytes, waitMs, done);
    }

    // ------------------------------------------------------------------ agents

    @Override
    public void listAgents(AsyncMethodCallback<List<AgentView>> done) {
        core.answer(done, CoreAsk.agents(), answer -> answer.agents().stream().map(WireMapper::agentView).toList());
    }

    @Override
    public void drainAgent(String agentId, boolean drain, AsyncMethodCallback<AgentView> done) {
        core.answer(done, CoreAsk.drain(agentId, drain), WireMapper::agentView);
    }

    /** Decommission: the coordinator forgets the agent; its running attempts run elsewhere. */
    @Override
    public void forgetAgent(String agentId, AsyncMethodCallback<AgentView> done) {
        core.answer(done, CoreAsk.forget(agentId), snapshot -> {
            log.info("agent {} decommissioned: forgotten by the coordinator", agentId);
            return WireMapper.agentView(snapshot);
        });
    }

    // ------------------------------------------------------------------ schedules

    @Override
    public void addSchedule(ScheduleSpec spec, AsyncMethodCallback<ScheduleView> done) {
        schedules.add(spec, done);
    }

    @Override
    public void listSchedules(AsyncMethodCallback<List<ScheduleView>> done) {
        schedules.list(done);
    }

    @Override
    public void getSchedule(String name, AsyncMethodCallback<ScheduleView> done) {
        schedules.get(name, done);
    }

    @Override
    public void pauseSchedule(String name, AsyncMethodCallback<ScheduleView> done) {
        schedules.setPaused(name, true, done);
    }

    @Override
    public void resumeSchedule(String name, AsyncMethodCallback<ScheduleView> done) {
        schedules.setPaused(name, false, done);
    }

    @Override
    public void removeSchedule(String name, AsyncMethodCallback<ScheduleView> done) {
        schedules.remove(name, done);
    }

    @Override
    public void runScheduleNow(String name, String requestKey, AsyncMethodCallback<ScheduleRunView> done) {
        schedules.runNow(name, requestKey, done);
    }

    @Override
    public void storeStats(AsyncMethodCallback<StoreStats> done) {
        artifacts.storeStats(done);
    }

    /** Revocation: the agent's certificates are refused, its connections closed and its work re-queued. */
    @Override
    public void revokeAgent(String agentId, AsyncMethodCallback<AgentView> done) {
        revocations.revoke(agentId, done);
    }

    @Override
    public void readAudit(long sinceMs, int limit, AsyncMethodCallback<java.util.List<io.drover.protocol.thrift.AuditEntry>> done) {
        done.onComplete(new java.util.ArrayList<>());
    }

    @Override
    public void taskStream(String jobId, int buckets, int maxAttempts,
                           AsyncMethodCallback<io.drover.protocol.thrift.TaskStreamView> done) {
        streams.taskStream(jobId, buckets, maxAttempts, done);
    }

    // ------------------------------------------------------------------ quotas

    @Override
    public void setQuota(io.drover.protocol.thrift.QuotaSpec spec,
                         AsyncMethodCallback<io.drover.protocol.thrift.QuotaView> done) {
        core.answer(done, CoreAsk.setQuota(spec.getOwner(), spec.isSetMaxRunning() ? spec.getMaxRunning() : null,
                spec.isSetWeight() ? spec.getWeight() : null), answer -> {
                    io.drover.protocol.thrift.QuotaView v = WireMapper.quotaView(answer.quotas().get(0));
                    log.info("quota of {}: max running {}, weight {}", v.getOwner(), v.getMaxRunning(), v.getWeight());
                    return v;
                });
    }

    @Override
    public void listQuotas(AsyncMethodCallback<List<io.drover.protocol.thrift.QuotaView>> done) {
        core.answer(done, CoreAsk.quotas(), answer -> answer.quotas().stream().map(WireMapper::quotaView).toList());
    }

    @Override
    public void removeQuota(String owner, AsyncMethodCallback<io.drover.protocol.thrift.QuotaView> done) {
        core.answer(done, CoreAsk.removeQuota(owner), answer -> {
            log.info("quota of {} removed", owner);
            return WireMapper.quotaView(answer.quotas().get(0));
        });
    }

    @Override
    public void readResultBlob(String jobId, String sha256, long offset, int maxBytes, AsyncMethodCallback<BlobChunk> done) {
        blobs.readForJob(jobId, sha256, offset, maxBytes, done);
    }
}
