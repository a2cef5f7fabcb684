package io.drover.coordinator.rpc;

import static io.drover.protocol.FieldLimits.AGENT_SLOTS;
import static io.drover.protocol.FieldLimits.ERROR_CHARS;
import static io.drover.protocol.FieldLimits.HEARTBEAT_RESULTS;
import static io.drover.protocol.FieldLimits.HEARTBEAT_RUNNING;
import static io.drover.protocol.FieldLimits.HOST_CHARS;
import static io.drover.protocol.FieldLimits.ID_CHARS;
import static io.drover.protocol.FieldLimits.LABELS;
import static io.drover.protocol.FieldLimits.LABEL_KEY_CHARS;
import static io.drover.protocol.FieldLimits.LABEL_VALUE_CHARS;
import static io.drover.protocol.FieldLimits.VERSION_CHARS;

import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.JobDescriptor;
import io.drover.protocol.thrift.LogChunk;
import io.drover.protocol.thrift.PlacementReport;
import io.drover.protocol.thrift.RunningAttempt;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.TaskResult;
import org.apache.thrift.TException;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * The one place every agent request's fields are checked (see {@link io.drover.protocol.FieldLimits}):
 * a request that passes reaches {@link AgentEndpoint}, one that does not is answered with
 * InvalidRequest naming the field, and never reaches the core.
 */
final class AgentRequests implements AgentService.AsyncIface {
    static final int TOKEN_CHARS = 4096;
    static final int CSR_CHARS = 16_384;
    static final int AGENT_ID_CHARS = 128;
    private static final java.util.regex.Pattern AGENT_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final AgentService.AsyncIface next;

    AgentRequests(AgentService.AsyncIface next) {
        this.next = next;
    }

    /** Answered for any input: a bad version gets IncompatibleVersion from the handshake. */
    @Override
    public void hello(Hello hello, AsyncMethodCallback<ServerInfo> done) throws TException {
        next.hello(hello, done);
    }

    @Override
    public void registerAgent(AgentRegistration r, AsyncMethodCallback<Void> done) throws TException {
        FieldChecks check = new FieldChecks("registerAgent");
        if (check.present("registration", r)) {
            check.text("agentId", r.getAgentId(), ID_CHARS)
                    .text("host", r.getHost(), HOST_CHARS)
                    .range("slots", r.getSlots(), 1, AGENT_SLOTS)
                    .labels("labels", r.getLabels(), LABELS, LABEL_KEY_CHARS, LABEL_VALUE_CHARS)
                    .text("softwareVersion", r.getSoftwareVersion(), VERSION_CHARS)
                    .optionalText("instanceId", r.getInstanceId(), ID_CHARS);
            if (r.isSetPlacement()) {
                PlacementReport p = r.getPlacement();
                if (p.isSetCachedArtifacts() && check.list("placement.cachedArtifacts", p.getCachedArtifacts(),
                        PlacementReports.MAX_CACHED_ARTIFACTS)) {
                    p.getCachedArtifacts().forEach(sha -> check.sha256("placement.cachedArtifacts[]", sha));
                }
                check.range("placement.memoryMb", p.getMemoryMb(), 0, PlacementReports.MAX_MEMORY_MB);
            }
        }
        if (!check.refused(done)) {
            next.registerAgent(r, done);
        }
    }

    @Override
    public void heartbeat(HeartbeatRequest q, AsyncMethodCallback<HeartbeatReply> done) throws TException {
        FieldChecks check = new FieldChecks("heartbeat");
        if (check.present("request", q)) {
            check.text("agentId", q.getAgentId(), ID_CHARS)
                    .range("freeSlots", q.getFreeSlots(), 0, AGENT_SLOTS)
                    .range("maxWaitMs", q.getMaxWaitMs(), 0, Long.MAX_VALUE)
                    .optionalText("instanceId", q.getInstanceId(), ID_CHARS);
            if (check.list("results", q.getResults(), HEARTBEAT_RESULTS)) {
                for (TaskResult r : q.getResults()) {
                    check.text("results.jobId", r.getJobId(), ID_CHARS)
                            .range("results.task", r.getTask(), 0, Integer.MAX_VALUE);
                    check.present("results.outcome", r.getOutcome());
                    if (!check.ok()) {
                        break;
                    }
                }
            }
            if (check.list("running", q.getRunning(), HEARTBEAT_RUNNING)) {
                for (RunningAttempt a : q.getRunning()) {
                    check.text("running.jobId", a.getJobId(), ID_CHARS).range("running.task", a.getTask(), 0, Integer.MAX_VALUE);
                    if (!check.ok()) {
                        break;
                    }
                }
            }
        }
        if (!check.refused(done)) {
            next.heartbeat(q, done);
        }
    }

    @Override
    public void dependencyResults(String jobId, AsyncMethodCallback<io.drover.protocol.thrift.DependencyResults> done)
            throws TException {
        if (!new FieldChecks("dependencyResults").text("jobId", jobId, ID_CHARS).refused(done)) {
            next.dependencyResults(jobId, done);
        }
    }

    @Override
    public void describeJob(String jobId, AsyncMethodCallback<JobDescriptor> done) throws TException {
        if (!new FieldChecks("describeJob").text("jobId", jobId, ID_CHARS).refused(done)) {
            next.describeJob(jobId, done);
        }
    }

    /** maxBytes is a wish: the coordinator caps it at its chunk size. */
    @Override
    public void fetchArtifact(String sha256, long offset, int maxBytes, AsyncMethodCallback<ArtifactChunk> done) throws TException {
        if (!new FieldChecks("fetchArtifact").sha256("sha256", sha256).range("offset", offset, 0, Long.MAX_VALUE)
                .refused(done)) {
            next.fetchArtifact(sha256, offset, maxBytes, done);
        }
    }

    @Override
    public void deliverLog(String agentId, LogChunk c, AsyncMethodCallback<Void> done) throws TException {
        FieldChecks check = new FieldChecks("deliverLog").text("agentId", agentId, ID_CHARS);
        if (check.present("chunk", c)) {
            check.text("chunk.jobId", c.getJobId(), ID_CHARS)
                    .range("chunk.task", c.getTask(), 0, Integer.MAX_VALUE)
                    .range("chunk.offset", c.getOffset(), 0, Long.MAX_VALUE)
                    .optionalText("chunk.error", c.getError(), ERROR_CHARS);
            check.present("chunk.stream", c.getStream());
            if (check.present("chunk.data", c.getData()) && c.getData().length > WireLimits.LOG_CHUNK_BYTES) {
                check.problem("chunk.data has " + c.getData().length + " bytes, more than " + WireLimits.LOG_CHUNK_BYTES);
            }
        }
        if (!check.refused(done)) {
            next.deliverLog(agentId, c, done);
        }
    }

    /** The agent id becomes a certificate's CN and a znode's name: letters, digits and {@code . _ -} only. */
    @Override
    public void join(io.drover.protocol.thrift.JoinRequest request, AsyncMethodCallback<io.drover.protocol.thrift.CertificateGrant> done) throws TException {
        FieldChecks check = new FieldChecks("join");
        if (check.present("request", request)) {
            check.text("token", request.getToken(), TOKEN_CHARS)
                    .text("agentId", request.getAgentId(), AGENT_ID_CHARS)
                    .text("csrPem", request.getCsrPem(), CSR_CHARS);
            if (check.ok() && !AGENT_ID.matcher(request.getAgentId()).matches()) {
                check.problem("agentId '" + request.getAgentId() + "' may hold only letters, digits and . _ -");
            }
        }
        if (!check.refused(done)) {
            next.join(request, done);
        }
    }

    @Override
    public void renewCertificate(String csrPem, AsyncMethodCallback<io.drover.protocol.thrift.CertificateGrant> done) throws TException {
        if (!new FieldChecks("renewCertificate").text("csrPem", csrPem, CSR_CHARS).refused(done)) {
            next.renewCertificate(csrPem, done);
        }
    }

    @Override
    public void beginResultBlob(String sha256, long size, AsyncMethodCallback<io.drover.protocol.thrift.ResultBlobStatus> done)
            throws TException {
        if (!new FieldChecks("beginResultBlob").sha256("sha256", sha256)
                .range("size", size, 1, io.drover.protocol.WireLimits.MAX_RESULT_BLOB_BYTES).refused(done)) {
            next.beginResultBlob(sha256, size, done);
        }
    }

    @Override
    public void uploadResultChunk(io.drover.protocol.thrift.BlobChunk chunk,
                                  AsyncMethodCallback<io.drover.protocol.thrift.ResultBlobStatus> done) throws TException {
        FieldChecks check = new FieldChecks("uploadResultChunk");
        if (check.present("chunk", chunk)) {
            check.sha256("sha256", chunk.getSha256()).range("offset", chunk.getOffset(), 0, Long.MAX_VALUE)
                    .present("data", chunk.getData());
        }
        if (!check.refused(done)) {
            next.uploadResultChunk(chunk, done);
        }
    }

    /** maxBytes is a wish: the coordinator caps it at its chunk size. */
    @Override
    public void fetchResultBlob(String sha256, long offset, int maxBytes,
                                AsyncMethodCallback<io.drover.protocol.thrift.BlobChunk> done) throws TException {
        if (!new FieldChecks("fetchResultBlob").sha256("sha256", sha256).range("offset", offset, 0, Long.MAX_VALUE)
                .refused(done)) {
            next.fetchResultBlob(sha256, offset, maxBytes, done);
        }
    }
}
