package io.drover.agent.link;

import io.drover.agent.artifact.ArtifactPiece;
import io.drover.agent.logs.LogPiece;
import io.drover.agent.logs.LogRequest;
import io.drover.agent.logs.StreamKind;
import io.drover.agent.task.ArtifactRef;
import io.drover.protocol.thrift.LogChunk;
import io.drover.protocol.thrift.LogStream;
import io.drover.agent.task.AttemptRef;
import io.drover.agent.task.JobDescription;
import io.drover.agent.task.JvmIsolation;
import io.drover.agent.task.TaskAssignment;
import io.drover.agent.task.TaskOutcome;
import io.drover.agent.task.TaskReport;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.PlacementReport;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.Assignment;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.JobDescriptor;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.RunningAttempt;
import io.drover.protocol.thrift.TaskResult;
import io.drover.protocol.thrift.droverConstants;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.thrift.TBaseHelper;

/** Translates between the agent's values and the generated Thrift structs; nothing else sees the latter. */
final class ThriftMapping {
    private ThriftMapping() {
    }

    static AgentRegistration registration(AgentIdentity identity) {
        return new AgentRegistration(identity.agentId(), identity.host(), identity.slots(),
                new HashMap<>(identity.labels()), droverConstants.PROTOCOL_VERSION, identity.softwareVersion())
                .setInstanceId(identity.instanceId())
                .setPlacement(new PlacementReport().setCachedArtifacts(new ArrayList<>(identity.cachedArtifacts()))
                        .setMemoryMb(identity.memoryMb()));
    }

    static HeartbeatRequest request(String agentId, HeartbeatCall call, String instanceId) {
        HeartbeatRequest q = new HeartbeatRequest(agentId,
                call.results().stream().map(ThriftMapping::result).toList(),
                call.running().stream().map(ref -> running(ref, call.queued().contains(ref.attemptId()))).toList(),
                call.freeSlots(), call.draining(), call.maxWait().toMillis(), droverConstants.PROTOCOL_VERSION);
        return instanceId == null ? q : q.setInstanceId(instanceId);
    }

    static HeartbeatAnswer answer(HeartbeatReply reply) {
        List<TaskAssignment> assignments = reply.isSetAssignments()
                ? reply.getAssignments().stream().map(ThriftMapping::assignment).toList() : List.of();
        return new HeartbeatAnswer(assignments,
                reply.isSetCancelAttempts() ? reply.getCancelAttempts() : List.of(),
                reply.isSetAckedAttempts() ? reply.getAckedAttempts() : List.of(),
                reply.isReRegister(),
                reply.isSetOfflineStopAfterMs() ? Optional.of(Duration.ofMillis(Math.max(0, reply.getOfflineStopAfterMs())))
                        : Optional.empty(),
                reply.isSetLogRequests() ? reply.getLogRequests().stream().map(ThriftMapping::logRequest).toList() : List.of());
    }

    static LogRequest logRequest(io.drover.protocol.thrift.LogRequest r) {
        return new LogRequest(r.getRequestId(), r.getJobId(), r.getTask(), r.getAttemptId(), stream(r.getStream()),
                r.getOffset(), r.getMaxBytes());
    }

    static LogChunk chunk(LogPiece p) {
        LogChunk c = new LogChunk(p.requestId(), p.jobId(), p.task(), p.attemptId(),
                p.stream() == StreamKind.STDERR ? LogStream.STDERR : LogStream.STDOUT, p.offset(), ByteBuffer.wrap(p.data()),
                p.complete(), p.size(), p.truncated());
        p.error().ifPresent(c::setError);
        return c;
    }

    private static StreamKind stream(LogStream s) {
        return s == LogStream.STDERR ? StreamKind.STDERR : StreamKind.STDOUT;
    }

    static JobDescription job(JobDescriptor d) {
        if (d.getKind() == null) {
            throw new IllegalArgumentException("job " + d.getJobId() + " has no kind");
        }
        JobDescription.JobKind kind = d.getKind() == JobKind.PROCESS ? JobDescription.JobKind.PROCESS : JobDescription.JobKind.JVM;
        Optional<ArtifactRef> artifact = d.isSetArtifactSha256()
                ? Optional.of(new ArtifactRef(d.getArtifactSha256(), d.isSetArtifactSize() ? d.getArtifactSize() : 0))
                : Optional.empty();
        return new JobDescription(d.getJobId(), kind, artifact, Optional.ofNullable(d.getEntryClass()),
                d.isSetCommand() ? d.getCommand() : List.of(),
                d.isSetJobArguments() ? d.getJobArguments() : List.of(),
                d.getShardCount(),
                d.getTaskTimeoutMs() > 0 ? Optional.of(Duration.ofMillis(d.getTaskTimeoutMs())) : Optional.empty(),
                Math.max(0, d.getMemoryMb()),
                d.getIsolation() == io.drover.protocol.thrift.JvmIsolation.IN_AGENT ? JvmIsolation.IN_AGENT : JvmIsolation.WORKER,
                d.isSetEnvironment() ? d.getEnvironment() : Map.of(),
                Optional.ofNullable(d.getWorkingDirectory()));
    }

    static ArtifactPiece blobPiece(io.drover.protocol.thrift.BlobChunk c) {
        return new ArtifactPiece(c.getSha256(), c.getOffset(), c.isSetData() ? c.getData() : new byte[0],
                c.getChunkSha256() == null ? "" : c.getChunkSha256(), c.getTotalSize());
    }

    static io.drover.agent.blob.UploadStatus status(io.drover.protocol.thrift.ResultBlobStatus s) {
        return new io.drover.agent.blob.UploadStatus(s.getSize(), s.getBytesReceived(), s.isComplete());
    }

    static ArtifactPiece piece(ArtifactChunk c) {
        return new ArtifactPiece(c.getSha256(), c.getOffset(), c.isSetData() ? c.getData() : new byte[0],
                c.getChunkSha256() == null ? "" : c.getChunkSha256(), c.getTotalSize());
    }

    private static TaskAssignment assignment(Assignment a) {
        List<byte[]> inputs = a.isSetReduceInputs()
                ? a.getReduceInputs().stream().map(ThriftMapping::bytes).toList() : List.of();
        Map<Integer, io.drover.agent.task.ResultBlob> blobs = new HashMap<>();
        if (a.isSetReduceInputBlobs()) {
            // The coordinator sends only references it committed; a malformed one fails this reply's mapping.
            a.getReduceInputBlobs().forEach((shard, b) -> blobs.put(shard,
                    new io.drover.agent.task.ResultBlob(b.getSha256(), b.getSize())));
        }
        return new TaskAssignment(a.getAttemptId(), a.getJobId(), a.getTask(),
                Optional.ofNullable(a.getShardParameter()), a.isReduceTask(), inputs, blobs);
    }

    private static TaskResult result(TaskReport report) {
        AttemptRef ref = report.attempt();
        TaskResult r = new TaskResult();
        r.setAttemptId(ref.attemptId());
        r.setJobId(ref.jobId());
        r.setTask(ref.task());
        r.setOutcome(outcome(report.outcome()));
        report.execution().value().ifPresent(r::setValue);
        report.execution().error().ifPresent(r::setError);
        report.execution().resultCodec().ifPresent(r::setResultCodec);
        report.execution().blob().ifPresent(b -> r.setResultBlob(new io.drover.protocol.thrift.ResultBlobRef(b.sha256(), b.size())));
        r.setRunMillis(report.runMillis());
        return r;
    }

    private static RunningAttempt running(AttemptRef ref, boolean queued) {
        RunningAttempt r = new RunningAttempt(ref.attemptId(), ref.jobId(), ref.task());
        return queued ? r.setQueued(true) : r; // absent otherwise: as older agents send it
    }

    private static Outcome outcome(TaskOutcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> Outcome.SUCCEEDED;
            case FAILED -> Outcome.FAILED;
            case TIMED_OUT -> Outcome.TIMED_OUT;
            case CANCELLED -> Outcome.CANCELLED;
            case REJECTED -> Outcome.REJECTED;
        };
    }

    private static byte[] bytes(ByteBuffer buffer) {
        return TBaseHelper.byteBufferToByteArray(buffer);
    }
}
