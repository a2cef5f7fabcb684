package io.drover.coordinator.rpc;

import static io.drover.coordinator.auth.Permission.AGENTS_MANAGE;
import static io.drover.coordinator.auth.Permission.AGENTS_READ;
import static io.drover.coordinator.auth.Permission.AUDIT_READ;
import static io.drover.coordinator.auth.Permission.JOBS_CANCEL_OTHERS;
import static io.drover.coordinator.auth.Permission.JOBS_CANCEL_OWN;
import static io.drover.coordinator.auth.Permission.JOBS_READ;
import static io.drover.coordinator.auth.Permission.JOBS_SUBMIT;
import static io.drover.coordinator.auth.Permission.LOGS_READ_OTHERS;
import static io.drover.coordinator.auth.Permission.LOGS_READ_OWN;
import static io.drover.coordinator.auth.Permission.QUOTAS_MANAGE;
import static io.drover.coordinator.auth.Permission.SCHEDULES_MANAGE;
import static io.drover.coordinator.auth.Permission.SCHEDULES_READ;
import static io.drover.coordinator.auth.Permission.STORE_READ;

import io.drover.coordinator.auth.Permission;
import io.drover.coordinator.rpc.Callers.Caller;
import io.drover.protocol.thrift.AgentView;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.ArtifactStatus;
import io.drover.protocol.thrift.AuditEntry;
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
import io.drover.security.Role;
import java.util.List;
import org.apache.thrift.TException;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * Every client call's permission, between the field checks ({@link ClientRequests}) and the work
 * ({@link ClientEndpoint}): refused calls get AccessDenied naming the missing permission; mutating
 * calls and their refusals go to the audit trail. A job's owner is the caller's subject (an admin
 * may name another); cancelling a job, or reading its logs, when it is someone else's needs the
 * {@code .others} permission. {@code readAudit} is answered here, from the audit store.
 */
final class ClientAccess implements ClientService.AsyncIface {
    static final int DEFAULT_AUDIT_LIMIT = 100;
    static final int MAX_AUDIT_LIMIT = 1_000;

    private final ClientService.AsyncIface next;
    private final Callers callers;
    private final CoreGateway core;
    private final AuditTrail audit;

    ClientAccess(ClientService.AsyncIface next, Callers callers, CoreGateway core, AuditTrail audit) {
        this.next = next;
        this.callers = callers;
        this.core = core;
        this.audit = audit;
    }

    @Override
    public void hello(Hello hello, AsyncMethodCallback<ServerInfo> done) throws TException {
        callers.authenticate(hello); // never fails hello: a standby must still answer with the leader's address
        next.hello(hello, done);
    }

    // ------------------------------------------------------------------ jobs

    @Override
    public void beginUpload(String sha256, long size, AsyncMethodCallback<ArtifactStatus> done) throws TException {
        Caller caller = callers.current();
        String target = "artifact " + sha256;
        if (callers.permitted(caller, JOBS_SUBMIT, "beginUpload", target, done)) {
            next.beginUpload(sha256, size, callers.audited(caller, "beginUpload", target, s -> target, done));
        }
    }

    @Override
    public void uploadChunk(ArtifactChunk chunk, AsyncMethodCallback<ArtifactStatus> done) throws TException {
        if (callers.permitted(callers.current(), JOBS_SUBMIT, null, "artifact " + chunk.getSha256(), done)) {
            next.uploadChunk(chunk, done); // audited once, at beginUpload
        }
    }

    @Override
    public void submit(JobSubmission job, AsyncMethodCallback<SubmitReply> done) throws TException {
        Caller caller = callers.current();
        String target = "job '" + job.getName() + "'";
        if (callers.permitted(caller, JOBS_SUBMIT, "submit", target, done)) {
            JobSubmission owned = ownedBy(caller, job);
            next.submit(owned, callers.audited(caller, "submit", target,
                    reply -> reply.getJobId() + " '" + owned.getName() + "' owner " + owned.getOwner()
                            + (reply.isDuplicate() ? " (duplicate)" : ""), done));
        }
    }

    /** Like submit, for each of the workflow's jobs: the caller owns them (an admin may name another owner). */
    @Override
    public void workflowSubmit(io.drover.protocol.thrift.WorkflowSubmission workflow,
                               AsyncMethodCallback<io.drover.protocol.thrift.WorkflowReply> done) throws TException {
        Caller caller = callers.current();
        String target = "workflow of " + workflow.getJobs().size() + " jobs";
        if (callers.permitted(caller, JOBS_SUBMIT, "workflowSubmit", target, done)) {
            io.drover.protocol.thrift.WorkflowSubmission owned = workflow.deepCopy();
            owned.getJobs().forEach(j -> j.setJob(ownedBy(caller, j.getJob())));
            next.workflowSubmit(owned, callers.audited(caller, "workflowSubmit", target,
                    reply -> reply.getJobs().stream().map(j -> j.getJobId() + " '" + j.getName() + "'")
                            .collect(java.util.stream.Collectors.joining(", "))
                            + (reply.isDuplicate() ? " (duplicate)" : ""), done));
        }
    }

    @Override
    public void getJob(String jobId, boolean withTasks, boolean withShardResults, AsyncMethodCallback<JobView> done)
            throws TException {
        if (callers.permitted(callers.current(), JOBS_READ, null, "job " + jobId, done)) {
            next.getJob(jobId, withTasks, withShardResults, done);
        }
    }

    @Override
    public void taskPage(io.drover.protocol.thrift.TaskPageQuery query,
                         AsyncMethodCallback<io.drover.protocol.thrift.TaskPageView> done) throws TException {
        if (callers.permitted(callers.current(), JOBS_READ, null, "job " + query.getJobId(), done)) {
            next.taskPage(query, done);
        }
    }

    @Override
    public void listJobs(int limit, AsyncMethodCallback<List<JobView>> done) throws TException {
        if (callers.permitted(callers.current(), JOBS_READ, null, "jobs", done)) {
            next.listJobs(limit, done);
        }
    }

    @Override
    public void cancelJob(String jobId, AsyncMethodCallback<JobView> done) throws TException {
        Caller caller = callers.current();
        String target = "job " + jobId;
        // Audited from here: a cancel of an unknown job fails in the owner lookup and is recorded too.
        AsyncMethodCallback<JobView> audited = callers.audited(caller, "cancelJob", target, v -> target, done);
        whenOwnerMay(caller, jobId, JOBS_CANCEL_OWN, JOBS_CANCEL_OTHERS, "cancelJob", audited, () ->
                next.cancelJob(jobId, audited));
    }

    @Override
    public void readLog(String jobId, int task, LogStream stream, long offset, int maxBytes, long waitMs,
                        AsyncMethodCallback<LogChunk> done) throws TException {
        whenOwnerMay(callers.current(), jobId, LOGS_READ_OWN, LOGS_READ_OTHERS, null, done, () ->
                next.readLog(jobId, task, stream, offset, maxBytes, waitMs, done));
    }

    // ------------------------------------------------------------------ agents

    @Override
    public void listAgents(AsyncMethodCallback<List<AgentView>> done) throws TException {
        if (callers.permitted(callers.current(), AGENTS_READ, null, "agents", done)) {
            next.listAgents(done);
        }
    }

    @Override
    public void drainAgent(String agentId, boolean drain, AsyncMethodCallback<AgentView> done) throws TException {
        String action = drain ? "drainAgent" : "undrainAgent";
        agentChange(action, agentId, done, d -> next.drainAgent(agentId, drain, d));
    }

    @Override
    public void forgetAgent(String agentId, AsyncMethodCallback<AgentView> done) throws TException {
        agentChange("forgetAgent", agentId, done, d -> next.forgetAgent(agentId, d));
    }

    @Override
    public void revokeAgent(String agentId, AsyncMethodCallback<AgentView> done) throws TException {
        agentChange("revokeAgent", agentId, done, d -> next.revokeAgent(agentId, d));
    }

    @Override
    public void storeStats(AsyncMethodCallback<StoreStats> done) throws TException {
        if (callers.permitted(callers.current(), STORE_READ, null, "store", done)) {
            next.storeStats(done);
        }
    }

    // ------------------------------------------------------------------ schedules

    @Override
    public void addSchedule(ScheduleSpec spec, AsyncMethodCallback<ScheduleView> done) throws TException {
        Caller caller = callers.current();
        String target = "schedule " + spec.getName();
        if (callers.permitted(caller, SCHEDULES_MANAGE, "addSchedule", target, done)) {
            ScheduleSpec owned = spec.deepCopy();
            owned.setJob(ownedBy(caller, spec.getJob())); // its runs' owner is whoever added it
            next.addSchedule(owned, callers.audited(caller, "addSchedule", target,
                    v -> target + " (jobs owned by " + owned.getJob().getOwner() + ")", done));
        }
    }

    @Override
    public void listSchedules(AsyncMethodCallback<List<ScheduleView>> done) throws TException {
        if (callers.permitted(callers.current(), SCHEDULES_READ, null, "schedules", done)) {
            next.listSchedules(done);
        }
    }

    @Override
    public void getSchedule(String name, AsyncMethodCallback<ScheduleView> done) throws TException {
        if (callers.permitted(callers.current(), SCHEDULES_READ, null, "schedule " + name, done)) {
            next.getSchedule(name, done);
        }
    }

    @Override
    public void pauseSchedule(String name, AsyncMethodCallback<ScheduleView> done) throws TException {
        scheduleChange("pauseSchedule", name, done, d -> next.pauseSchedule(name, d));
    }

    @Override
    public void resumeSchedule(String name, AsyncMethodCallback<ScheduleView> done) throws TException {
        scheduleChange("resumeSchedule", name, done, d -> next.resumeSchedule(name, d));
    }

    @Override
    public void removeSchedule(String name, AsyncMethodCallback<ScheduleView> done) throws TException {
        scheduleChange("removeSchedule", name, done, d -> next.removeSchedule(name, d));
    }

    @Override
    public void runScheduleNow(String name, String requestKey, AsyncMethodCallback<ScheduleRunView> done) throws TException {
        Caller caller = callers.current();
        String target = "schedule " + name;
        if (callers.permitted(caller, SCHEDULES_MANAGE, "runScheduleNow", target, done)) {
            next.runScheduleNow(name, requestKey, callers.audited(caller, "runScheduleNow", target,
                    run -> target + (run.isSetJobId() ? " -> " + run.getJobId() : ""), done));
        }
    }

    // ------------------------------------------------------------------ audit

    /** Oldest first from {@code sinceMs}; a limit out of 1..1000 is taken as the default or the maximum. */
    @Override
    public void readAudit(long sinceMs, int limit, AsyncMethodCallback<List<AuditEntry>> done) {
        if (!callers.permitted(callers.current(), AUDIT_READ, null, "audit log", done)) {
            return;
        }
        int n = limit <= 0 ? DEFAULT_AUDIT_LIMIT : Math.min(limit, MAX_AUDIT_LIMIT);
        core.onIo(done, term -> audit.store().read(sinceMs, n).stream()
                .map(r -> new AuditEntry(r.atMs(), r.who(), r.role(), r.action(), r.target(), r.remote(), r.outcome()))
                .toList());
    }

    // ------------------------------------------------------------------ helpers

    /** A call that would hand on {@code done} (audited) once permitted. */
    @FunctionalInterface
    private interface Forward<T> {
        void to(AsyncMethodCallback<T> done) throws TException;
    }

    /** The call itself, once permitted. */
    @FunctionalInterface
    private interface Proceed {
        void run() throws TException;
    }

    private void agentChange(String action, String agentId, AsyncMethodCallback<AgentView> done, Forward<AgentView> call)
            throws TException {
        change(AGENTS_MANAGE, action, "agent " + agentId, done, call);
    }

    private void scheduleChange(String action, String name, AsyncMethodCallback<ScheduleView> done,
                                Forward<ScheduleView> call) throws TException {
        change(SCHEDULES_MANAGE, action, "schedule " + name, done, call);
    }

    private <T> void change(Permission permission, String action, String target, AsyncMethodCallback<T> done,
                            Forward<T> call) throws TException {
        Caller caller = callers.current();
        if (callers.permitted(caller, permission, action, target, done)) {
            call.to(callers.audited(caller, action, target, v -> target, done));
        }
    }

    /**
     * The submission with its owner set to the caller's subject; an admin may name another owner
     * (jobs submitted on someone's behalf), and so may every caller of an insecure coordinator.
     */
    private static JobSubmission ownedBy(Caller caller, JobSubmission job) {
        boolean mayName = caller.principal().role().filter(r -> r == Role.ADMIN).isPresent();
        String named = job.getOwner();
        if (mayName && named != null && !named.isBlank()) {
            return job;
        }
        return job.deepCopy().setOwner(caller.principal().subject());
    }

    /**
     * Runs {@code call} when the caller holds {@code others}, or holds {@code own} and owns the job
     * (asked of the core); answers {@code done} with the refusal otherwise.
     */
    private void whenOwnerMay(Caller caller, String jobId, Permission own, Permission others, String action,
                              AsyncMethodCallback<?> done, Proceed call) throws TException {
        String target = "job " + jobId;
        if (callers.decide(caller, others).allowed()) {
            call.run();
            return;
        }
        if (!callers.permitted(caller, own, action, target, done)) {
            return;
        }
        core.askThen(done, CoreAsk.definition(jobId)).thenAccept(answer -> {
            String owner = answer.definition().owner();
            if (caller.principal().subject().equals(owner)) {
                try {
                    call.run();
                } catch (TException | RuntimeException e) {
                    done.onError(core.translate(e));
                }
                return;
            }
            callers.refuse(caller, callers.deny(caller, others, "job " + jobId + " belongs to '" + owner + "'"), action,
                    target, done);
        });
    }

    @Override
    public void taskStream(String jobId, int buckets, int maxAttempts,
                           AsyncMethodCallback<io.drover.protocol.thrift.TaskStreamView> done) throws TException {
        if (callers.permitted(callers.current(), JOBS_READ, null, "job " + jobId, done)) {
            next.taskStream(jobId, buckets, maxAttempts, done);
        }
    }

    // ------------------------------------------------------------------ quotas

    @Override
    public void setQuota(io.drover.protocol.thrift.QuotaSpec spec,
                         AsyncMethodCallback<io.drover.protocol.thrift.QuotaView> done) throws TException {
        Caller caller = callers.current();
        String target = "quota of " + spec.getOwner();
        if (callers.permitted(caller, QUOTAS_MANAGE, "setQuota", target, done)) {
            next.setQuota(spec, callers.audited(caller, "setQuota", target, v -> target + ": max running "
                    + v.getMaxRunning() + ", weight " + v.getWeight(), done));
        }
    }

    /** Quotas are read like jobs: whoever may read jobs sees why they wait. */
    @Override
    public void listQuotas(AsyncMethodCallback<List<io.drover.protocol.thrift.QuotaView>> done) throws TException {
        if (callers.permitted(callers.current(), JOBS_READ, null, "quotas", done)) {
            next.listQuotas(done);
        }
    }

    @Override
    public void removeQuota(String owner, AsyncMethodCallback<io.drover.protocol.thrift.QuotaView> done) throws TException {
        change(QUOTAS_MANAGE, "removeQuota", "quota of " + owner, done, d -> next.removeQuota(owner, d));
    }

    @Override
    public void readResultBlob(String jobId, String sha256, long offset, int maxBytes,
                               AsyncMethodCallback<io.drover.protocol.thrift.BlobChunk> done) throws TException {
        if (callers.permitted(callers.current(), JOBS_READ, null, "job " + jobId, done)) {
            next.readResultBlob(jobId, sha256, offset, maxBytes, done);
        }
    }
}
