package io.drover.coordinator.rpc;

import static io.drover.protocol.FieldLimits.ARGUMENTS;
import static io.drover.protocol.FieldLimits.CLASS_NAME_CHARS;
import static io.drover.protocol.FieldLimits.COMMAND_ELEMENTS;
import static io.drover.protocol.FieldLimits.CRON_CHARS;
import static io.drover.protocol.FieldLimits.ID_CHARS;
import static io.drover.protocol.FieldLimits.LABELS;
import static io.drover.protocol.FieldLimits.LABEL_KEY_CHARS;
import static io.drover.protocol.FieldLimits.LABEL_VALUE_CHARS;
import static io.drover.protocol.FieldLimits.ZONE_CHARS;

import io.drover.protocol.FieldLimits;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.AgentView;
import io.drover.protocol.thrift.ArtifactChunk;
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
import org.apache.thrift.TException;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * The one place every client request's fields are checked (see {@link FieldLimits}): a request
 * that passes reaches {@link ClientEndpoint}, one that does not is answered with InvalidRequest
 * naming the field and its bound. What needs the coordinator's state (artifacts exist, the whole
 * definition's size, cron syntax) is checked by {@link Submissions} and {@link ScheduleWire}.
 */
final class ClientRequests implements ClientService.AsyncIface {
    static final int MAX_LIST_LIMIT = 10_000;
    static final int REQUEST_KEY_CHARS = 200;

    private final ClientService.AsyncIface next;

    ClientRequests(ClientService.AsyncIface next) {
        this.next = next;
    }

    @Override
    public void hello(Hello hello, AsyncMethodCallback<ServerInfo> done) throws TException {
        next.hello(hello, done);
    }

    @Override
    public void beginUpload(String sha256, long size, AsyncMethodCallback<ArtifactStatus> done) throws TException {
        if (!new FieldChecks("beginUpload").sha256("sha256", sha256).range("size", size, 1, Long.MAX_VALUE).refused(done)) {
            next.beginUpload(sha256, size, done);
        }
    }

    @Override
    public void uploadChunk(ArtifactChunk c, AsyncMethodCallback<ArtifactStatus> done) throws TException {
        FieldChecks check = new FieldChecks("uploadChunk");
        if (check.present("chunk", c)) {
            check.sha256("sha256", c.getSha256()).sha256("chunkSha256", c.getChunkSha256())
                    .range("offset", c.getOffset(), 0, Long.MAX_VALUE).range("totalSize", c.getTotalSize(), 0, Long.MAX_VALUE);
            if (check.present("data", c.getData()) && c.getData().length > WireLimits.ARTIFACT_CHUNK_BYTES) {
                check.problem("data has " + c.getData().length + " bytes, more than " + WireLimits.ARTIFACT_CHUNK_BYTES);
            }
        }
        if (!check.refused(done)) {
            next.uploadChunk(c, done);
        }
    }

    @Override
    public void submit(JobSubmission job, AsyncMethodCallback<SubmitReply> done) throws TException {
        FieldChecks check = new FieldChecks("job spec");
        submission(check, "", job, true);
        if (!check.refused(done)) {
            next.submit(job, done);
        }
    }

    @Override
    public void getJob(String jobId, boolean withTasks, boolean withShardResults, AsyncMethodCallback<JobView> done) throws TException {
        if (!new FieldChecks("getJob").text("jobId", jobId, ID_CHARS).refused(done)) {
            next.getJob(jobId, withTasks, withShardResults, done);
        }
    }

    @Override
    public void taskPage(io.drover.protocol.thrift.TaskPageQuery q,
                         AsyncMethodCallback<io.drover.protocol.thrift.TaskPageView> done) throws TException {
        FieldChecks check = new FieldChecks("taskPage");
        if (check.present("query", q)) {
            check.text("jobId", q.getJobId(), ID_CHARS).range("offset", q.getOffset(), 0, Integer.MAX_VALUE)
                    .range("limit", q.getLimit(), 1, io.drover.coordinator.core.Event.TaskFilter.MAX_LIMIT);
            if (q.isSetState() && !TASK_STATES.contains(q.getState())) {
                check.present("state (one of " + TASK_STATES + ")", null);
            }
        }
        if (!check.refused(done)) {
            next.taskPage(q, done);
        }
    }

    private static final java.util.Set<String> TASK_STATES = java.util.Arrays.stream(
            io.drover.coordinator.core.TaskState.values()).map(Enum::name).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** The IDL gives listJobs no InvalidRequest: a limit out of range is taken as the nearest bound (0 = default). */
    @Override
    public void listJobs(int limit, AsyncMethodCallback<List<JobView>> done) throws TException {
        next.listJobs(Math.min(Math.max(limit, 0), MAX_LIST_LIMIT), done);
    }

    @Override
    public void cancelJob(String jobId, AsyncMethodCallback<JobView> done) throws TException {
        if (!new FieldChecks("cancelJob").text("jobId", jobId, ID_CHARS).refused(done)) {
            next.cancelJob(jobId, done);
        }
    }

    /** maxBytes and waitMs are wishes the coordinator caps. */
    @Override
    public void readLog(String jobId, int task, LogStream stream, long offset, int maxBytes, long waitMs,
                        AsyncMethodCallback<LogChunk> done) throws TException {
        FieldChecks check = new FieldChecks("readLog").text("jobId", jobId, ID_CHARS)
                .range("task", task, 0, Integer.MAX_VALUE).range("offset", offset, 0, Long.MAX_VALUE);
        check.present("stream", stream);
        if (!check.refused(done)) {
            next.readLog(jobId, task, stream, offset, maxBytes, waitMs, done);
        }
    }

    @Override
    public void listAgents(AsyncMethodCallback<List<AgentView>> done) throws TException {
        next.listAgents(done);
    }

    @Override
    public void storeStats(AsyncMethodCallback<StoreStats> done) throws TException {
        next.storeStats(done); // no arguments to check
    }

    @Override
    public void drainAgent(String agentId, boolean drain, AsyncMethodCallback<AgentView> done) throws TException {
        if (!new FieldChecks("drainAgent").text("agentId", agentId, ID_CHARS).refused(done)) {
            next.drainAgent(agentId, drain, done);
        }
    }

    @Override
    public void forgetAgent(String agentId, AsyncMethodCallback<AgentView> done) throws TException {
        if (!new FieldChecks("forgetAgent").text("agentId", agentId, ID_CHARS).refused(done)) {
            next.forgetAgent(agentId, done);
        }
    }

    @Override
    public void addSchedule(ScheduleSpec spec, AsyncMethodCallback<ScheduleView> done) throws TException {
        FieldChecks check = new FieldChecks("schedule");
        if (check.present("spec", spec)) {
            check.text("name", spec.getName(), ID_CHARS).text("cron", spec.getCron(), CRON_CHARS)
                    .text("timeZone", spec.getTimeZone(), ZONE_CHARS);
            // A template's name defaults to the schedule's and its idempotency key is derived per fire.
            submission(check, "job.", spec.getJob(), false);
        }
        if (!check.refused(done)) {
            next.addSchedule(spec, done);
        }
    }

    @Override
    public void listSchedules(AsyncMethodCallback<List<ScheduleView>> done) throws TException {
        next.listSchedules(done);
    }

    @Override
    public void getSchedule(String name, AsyncMethodCallback<ScheduleView> done) throws TException {
        if (!scheduleName("getSchedule", name).refused(done)) {
            next.getSchedule(name, done);
        }
    }

    @Override
    public void pauseSchedule(String name, AsyncMethodCallback<ScheduleView> done) throws TException {
        if (!scheduleName("pauseSchedule", name).refused(done)) {
            next.pauseSchedule(name, done);
        }
    }

    @Override
    public void resumeSchedule(String name, AsyncMethodCallback<ScheduleView> done) throws TException {
        if (!scheduleName("resumeSchedule", name).refused(done)) {
            next.resumeSchedule(name, done);
        }
    }

    @Override
    public void removeSchedule(String name, AsyncMethodCallback<ScheduleView> done) throws TException {
        if (!scheduleName("removeSchedule", name).refused(done)) {
            next.removeSchedule(name, done);
        }
    }

    @Override
    public void runScheduleNow(String name, String requestKey, AsyncMethodCallback<ScheduleRunView> done) throws TException {
        if (!scheduleName("runScheduleNow", name).text("requestKey", requestKey, REQUEST_KEY_CHARS).refused(done)) {
            next.runScheduleNow(name, requestKey, done);
        }
    }

    private static FieldChecks scheduleName(String call, String name) {
        return new FieldChecks(call).text("name", name, ID_CHARS);
    }

    /**
     * The shape of a job: required fields present, strings and collections within their bounds.
     * {@code standalone}: a submit (name and idempotency key required), not a schedule's template.
     */
    private static void submission(FieldChecks check, String prefix, JobSubmission s, boolean standalone) {
        if (!check.present(prefix.isEmpty() ? "job" : prefix.substring(0, prefix.length() - 1), s)) {
            return;
        }
        if (standalone) {
            check.text(prefix + "name", s.getName(), ID_CHARS).text(prefix + "idempotencyKey", s.getIdempotencyKey(), ID_CHARS);
        } else {
            check.optionalText(prefix + "name", s.getName(), ID_CHARS).optionalText(prefix + "idempotencyKey", s.getIdempotencyKey(), ID_CHARS);
        }
        check.optionalText(prefix + "owner", s.getOwner(), ID_CHARS) // empty: the caller's identity becomes the owner
                .optionalText(prefix + "entryClass", s.getEntryClass(), CLASS_NAME_CHARS)
                .optionalText(prefix + "artifactSha256", s.getArtifactSha256(), 64)
                .labels(prefix + "requiredLabels", s.getRequiredLabels(), LABELS, LABEL_KEY_CHARS, LABEL_VALUE_CHARS);
        check.present(prefix + "kind", s.getKind());
        // Element sizes of the lists are bounded by the definition's total (Submissions).
        if (s.getCommand() != null) {
            check.strings(prefix + "command", s.getCommand(), COMMAND_ELEMENTS, FieldLimits.DEFINITION_BYTES);
        }
        if (s.getShardParameters() != null) {
            check.strings(prefix + "shardParameters", s.getShardParameters(), Submissions.MAX_SHARDS, FieldLimits.DEFINITION_BYTES);
        }
        if (check.present(prefix + "jobArguments", s.getJobArguments())) {
            check.strings(prefix + "jobArguments", s.getJobArguments(), ARGUMENTS, FieldLimits.DEFINITION_BYTES);
        }
        if (s.getEnvironment() != null) {
            check.labels(prefix + "environment", s.getEnvironment(), ProcessSettings.MAX_VARIABLES, 256,
                    FieldLimits.DEFINITION_BYTES);
        }
        if (s.getSecretEnvironment() != null) {
            check.labels(prefix + "secretEnvironment", s.getSecretEnvironment(), ProcessSettings.MAX_VARIABLES, 256,
                    FieldLimits.DEFINITION_BYTES);
        }
        dependencies(check, prefix, s, standalone);
    }

    /** Dependencies: bounded, each naming a job; a schedule's template has none (its runs would all wait on one job). */
    private static void dependencies(FieldChecks check, String prefix, JobSubmission s, boolean standalone) {
        List<io.drover.protocol.thrift.DependencySpec> deps = s.getDependencies();
        if (deps == null || deps.isEmpty()) {
            return;
        }
        if (!standalone) {
            check.problem(prefix + "dependencies are not allowed in a schedule's job template");
            return;
        }
        if (deps.size() > io.drover.coordinator.core.Dependency.MAX_PER_JOB) {
            check.problem(prefix + "dependencies has " + deps.size() + " entries, more than "
                    + io.drover.coordinator.core.Dependency.MAX_PER_JOB);
            return;
        }
        for (int i = 0; i < deps.size(); i++) {
            io.drover.protocol.thrift.DependencySpec d = deps.get(i);
            if (check.present(prefix + "dependencies[" + i + "]", d)) {
                check.text(prefix + "dependencies[" + i + "].jobId", d.getJobId(), ID_CHARS)
                        .optionalText(prefix + "dependencies[" + i + "].condition", d.getCondition(), 16);
            }
        }
        check.optionalText(prefix + "onUpstreamFailure", s.getOnUpstreamFailure(), 16);
    }

    @Override
    public void workflowSubmit(io.drover.protocol.thrift.WorkflowSubmission w,
                               AsyncMethodCallback<io.drover.protocol.thrift.WorkflowReply> done) throws TException {
        FieldChecks check = new FieldChecks("workflow");
        if (check.present("workflow", w) && check.present("jobs", w.getJobs())) {
            if (w.getJobs().isEmpty() || w.getJobs().size() > Workflows.MAX_JOBS) {
                check.problem("jobs has " + w.getJobs().size() + " entries; a workflow holds 1.." + Workflows.MAX_JOBS);
            } else {
                for (int i = 0; i < w.getJobs().size(); i++) {
                    io.drover.protocol.thrift.WorkflowJob j = w.getJobs().get(i);
                    if (check.present("jobs[" + i + "]", j)) {
                        check.text("jobs[" + i + "].name", j.getName(), ID_CHARS);
                        submission(check, "jobs[" + i + "].job.", j.getJob(), true);
                    }
                }
            }
        }
        if (!check.refused(done)) {
            next.workflowSubmit(w, done);
        }
    }

    @Override
    public void revokeAgent(String agentId, AsyncMethodCallback<AgentView> done) throws TException {
        next.revokeAgent(agentId, done);
    }

    @Override
    public void readAudit(long sinceMs, int limit, AsyncMethodCallback<List<io.drover.protocol.thrift.AuditEntry>> done) throws TException {
        next.readAudit(sinceMs, limit, done);
    }

    /** buckets 0 = the default (200); maxAttempts 0..2000. */
    @Override
    public void taskStream(String jobId, int buckets, int maxAttempts,
                           AsyncMethodCallback<io.drover.protocol.thrift.TaskStreamView> done) throws TException {
        if (!new FieldChecks("taskStream").text("jobId", jobId, ID_CHARS).range("buckets", buckets, 0, TaskStreams.MAX_BUCKETS)
                .range("maxAttempts", maxAttempts, 0, TaskStreams.MAX_LISTED).refused(done)) {
            next.taskStream(jobId, buckets, maxAttempts, done);
        }
    }

    // ------------------------------------------------------------------ quotas

    /** An owner is a token subject (id characters) or "*"; max running -1..1,000,000; weight 1..10,000. */
    @Override
    public void setQuota(io.drover.protocol.thrift.QuotaSpec spec,
                         AsyncMethodCallback<io.drover.protocol.thrift.QuotaView> done) throws TException {
        FieldChecks check = new FieldChecks("setQuota");
        if (check.present("spec", spec)) {
            check.text("owner", spec.getOwner(), ID_CHARS);
            if (spec.isSetMaxRunning()) {
                check.range("maxRunning", spec.getMaxRunning(), io.drover.coordinator.core.Quota.NO_CAP, MAX_QUOTA_RUNNING);
            }
            if (spec.isSetWeight()) {
                check.range("weight", spec.getWeight(), 1, io.drover.coordinator.core.Quota.MAX_WEIGHT);
            }
        }
        if (!check.refused(done)) {
            next.setQuota(spec, done);
        }
    }

    static final int MAX_QUOTA_RUNNING = 1_000_000;

    @Override
    public void listQuotas(AsyncMethodCallback<List<io.drover.protocol.thrift.QuotaView>> done) throws TException {
        next.listQuotas(done);
    }

    @Override
    public void removeQuota(String owner, AsyncMethodCallback<io.drover.protocol.thrift.QuotaView> done) throws TException {
        if (!new FieldChecks("removeQuota").text("owner", owner, ID_CHARS).refused(done)) {
            next.removeQuota(owner, done);
        }
    }

    /** maxBytes is a wish: the coordinator caps it at its chunk size. */
    @Override
    public void readResultBlob(String jobId, String sha256, long offset, int maxBytes,
                               AsyncMethodCallback<io.drover.protocol.thrift.BlobChunk> done) throws TException {
        if (!new FieldChecks("readResultBlob").text("jobId", jobId, ID_CHARS).sha256("sha256", sha256)
                .range("offset", offset, 0, Long.MAX_VALUE).refused(done)) {
            next.readResultBlob(jobId, sha256, offset, maxBytes, done);
        }
    }
}
