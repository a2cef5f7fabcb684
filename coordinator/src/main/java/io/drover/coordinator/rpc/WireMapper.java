package io.drover.coordinator.rpc;

import io.drover.coordinator.core.AgentState;
import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.core.ResultBlob;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.ResultBlobRef;
import io.drover.coordinator.secrets.SecretEnvironment;
import io.drover.coordinator.secrets.SecretSealer;
import io.drover.protocol.FieldLimits;
import io.drover.protocol.ResultCodecNames;
import io.drover.protocol.thrift.AgentView;
import io.drover.protocol.thrift.Assignment;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.JobDescriptor;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JvmIsolation;
import io.drover.protocol.thrift.JobView;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.RunningAttempt;
import io.drover.protocol.thrift.TaskResult;
import io.drover.protocol.thrift.TaskView;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Core values to and from Thrift structs. Generated types stop here. */
final class WireMapper {
    private WireMapper() {
    }

    static List<Event.Report> reports(List<TaskResult> results, int maxResultBytes) {
        if (results == null) {
            return List.of();
        }
        List<Event.Report> out = new ArrayList<>(results.size());
        for (TaskResult r : results) {
            byte[] value = r.isSetValue() ? r.getValue() : null;
            Event.Outcome outcome = outcome(r.getOutcome());
            // Cut, not refused: the agent keeps a result until it is acknowledged, so a refusal would wedge it.
            String error = cut(r.getError(), FieldLimits.ERROR_CHARS);
            if (value != null && value.length > maxResultBytes) {
                if (outcome == Event.Outcome.SUCCEEDED) {
                    outcome = Event.Outcome.REJECTED; // the same code returns the same size: no retry
                    error = "result of " + value.length + " bytes exceeds the " + maxResultBytes + "-byte limit";
                }
                value = null;
            }
            ResultBlob blob = null;
            if (outcome == Event.Outcome.SUCCEEDED && r.isSetResultBlob()) {
                String problem = blobProblem(r.getResultBlob());
                if (problem == null) {
                    blob = new ResultBlob(r.getResultBlob().getSha256(), r.getResultBlob().getSize());
                    value = null;
                } else {
                    // Refused for good: the same code produces the same result again.
                    outcome = Event.Outcome.REJECTED;
                    error = problem;
                }
            }
            // A label for clients only: an odd name is dropped, never refused (that would wedge the agent).
            String codec = outcome == Event.Outcome.SUCCEEDED ? ResultCodecNames.usable(r.getResultCodec()) : null;
            out.add(new Event.Report(r.getAttemptId(), r.getJobId(), r.getTask(), outcome, value, error, codec, blob));
        }
        return out;
    }

    /** Why a reported blob reference cannot be committed, or null when it can (whether it is stored is checked apart). */
    static String blobProblem(ResultBlobRef ref) {
        if (ref.getSha256() == null || !ref.getSha256().matches("[0-9a-f]{64}")) {
            return "result blob reference without a valid sha256";
        }
        if (ref.getSize() <= 0 || ref.getSize() > WireLimits.MAX_RESULT_BLOB_BYTES) {
            return "result of " + ref.getSize() + " bytes exceeds the coordinator's " + WireLimits.MAX_RESULT_BLOB_BYTES
                    + "-byte limit";
        }
        return null;
    }

    static ResultBlobRef blobRef(ResultBlob b) {
        return new ResultBlobRef(b.sha256(), b.size());
    }

    private static String cut(String text, int maxChars) {
        return text == null || text.length() <= maxChars ? text
                : text.substring(0, maxChars) + "... (" + (text.length() - maxChars) + " more characters cut)";
    }

    private static Event.Outcome outcome(Outcome o) {
        if (o == null) {
            return Event.Outcome.FAILED;
        }
        switch (o) {
            case SUCCEEDED: return Event.Outcome.SUCCEEDED;
            case TIMED_OUT: return Event.Outcome.TIMED_OUT;
            case CANCELLED: return Event.Outcome.CANCELLED;
            case REJECTED: return Event.Outcome.REJECTED;
            default: return Event.Outcome.FAILED;
        }
    }

    static List<Event.RunningAttempt> running(List<RunningAttempt> running) {
        if (running == null) {
            return List.of();
        }
        List<Event.RunningAttempt> out = new ArrayList<>(running.size());
        for (RunningAttempt r : running) {
            out.add(new Event.RunningAttempt(r.getAttemptId(), r.getJobId(), r.getTask(), r.isSetQueued() && r.isQueued()));
        }
        return out;
    }

    static HeartbeatReply heartbeatReply(Response.HeartbeatAnswer a) {
        List<Assignment> assignments = new ArrayList<>(a.assignments().size());
        for (Response.Assignment as : a.assignments()) {
            Assignment t = new Assignment(as.attemptId(), as.jobId(), as.task(), as.reduceTask());
            if (as.shardParameter() != null) {
                t.setShardParameter(as.shardParameter());
            }
            if (as.reduceInputs() != null) {
                List<ByteBuffer> inputs = new ArrayList<>(as.reduceInputs().size());
                as.reduceInputs().forEach(b -> inputs.add(ByteBuffer.wrap(b)));
                t.setReduceInputs(inputs);
            }
            if (!as.reduceInputBlobs().isEmpty()) {
                Map<Integer, ResultBlobRef> blobs = new HashMap<>();
                as.reduceInputBlobs().forEach((shard, b) -> blobs.put(shard, blobRef(b)));
                t.setReduceInputBlobs(blobs);
            }
            assignments.add(t);
        }
        HeartbeatReply reply = new HeartbeatReply(assignments, a.cancelAttempts(), a.ackedAttempts(), a.reRegister());
        if (a.offlineStopAfterMs() >= 0) {
            reply.setOfflineStopAfterMs(a.offlineStopAfterMs());
        }
        return reply;
    }

    static io.drover.protocol.thrift.DependencyResults dependencyResults(Response.UpstreamResults r) {
        List<io.drover.protocol.thrift.DependencyResult> out = new ArrayList<>(r.upstream().size());
        for (Response.UpstreamResult u : r.upstream()) {
            io.drover.protocol.thrift.DependencyResult dr = new io.drover.protocol.thrift.DependencyResult(u.jobId());
            if (u.name() != null) {
                dr.setName(u.name());
            }
            if (u.state() != null) {
                dr.setState(u.state().name());
            }
            if (u.result() != null) {
                dr.setResult(u.result());
            }
            if (u.resultBlob() != null) {
                dr.setResultBlob(blobRef(u.resultBlob()));
            }
            out.add(dr);
        }
        return new io.drover.protocol.thrift.DependencyResults(r.jobId(), out);
    }

    static io.drover.protocol.thrift.QuotaView quotaView(Response.QuotaUsage u) {
        return QuotaWording.view(u);
    }

    static JobView jobView(Response.JobSnapshot s) {
        JobDefinition d = s.definition();
        JobView v = new JobView(d.jobId(), d.name(), d.owner(), s.state().name(), d.taskCount(), s.succeeded(),
                s.failed(), s.running(), s.pending(), d.submittedAtMs(), d.reduce());
        if (s.resultBlob() != null) {
            v.setResultBlob(blobRef(s.resultBlob()));
        } else if (s.result() != null) {
            v.setResult(s.result());
        }
        if (s.error() != null) {
            v.setError(s.error());
        }
        if (s.endedAtMs() != null) {
            v.setFinishedAtMs(s.endedAtMs());
        }
        if (s.resultCodec() != null) {
            v.setResultCodec(s.resultCodec());
        }
        if (PlacementWording.spec(d) != null) {
            v.setPlacement(PlacementWording.spec(d));
        }
        if (s.waiting() != null) {
            v.setWaiting(PlacementWording.waiting(s.waiting()));
        }
        if (d.backups() || s.backupsStarted() > 0) { // absent: the job takes no backups
            v.setBackupsStarted(s.backupsStarted());
            v.setBackupsWon(s.backupsWon());
        }
        if (s.queueWait() != null) {
            v.setQueueWait(QuotaWording.wait(s.queueWait()));
        }
        if (!s.upstream().isEmpty()) {
            List<io.drover.protocol.thrift.DependencyView> deps = new ArrayList<>(s.upstream().size());
            for (Response.UpstreamStatus u : s.upstream()) {
                io.drover.protocol.thrift.DependencyView dv = new io.drover.protocol.thrift.DependencyView(u.jobId(),
                        u.condition().name());
                if (u.name() != null) {
                    dv.setName(u.name());
                }
                if (u.state() != null) {
                    dv.setState(u.state().name());
                }
                deps.add(dv);
            }
            v.setDependencies(deps);
            v.setOnUpstreamFailure(d.onUpstreamFailure().name());
        }
        if (!s.tasks().isEmpty()) {
            List<TaskView> tasks = new ArrayList<>(s.tasks().size());
            for (Response.TaskSnapshot t : s.tasks()) {
                tasks.add(taskView(t));
            }
            v.setTasks(tasks);
        }
        if (!s.shardResults().isEmpty()) {
            List<ByteBuffer> results = new ArrayList<>(s.shardResults().size());
            s.shardResults().forEach(b -> results.add(ByteBuffer.wrap(b)));
            v.setShardResults(results);
        }
        if (!s.shardResultBlobs().isEmpty()) {
            Map<Integer, ResultBlobRef> blobs = new HashMap<>();
            s.shardResultBlobs().forEach((shard, b) -> blobs.put(shard, blobRef(b)));
            v.setShardResultBlobs(blobs);
        }
        return v;
    }

    static AgentView agentView(Response.AgentSnapshot a) {
        String state = a.state().name();
        if (a.draining() && a.state() == AgentState.ALIVE) {
            state = "DRAINING";
        }
        AgentView v = new AgentView(a.agentId(), a.host(), state, a.slots(), a.running(), a.lastHeartbeatMs(), a.labels(),
                a.completedTasks());
        if (a.silentForMs() != null) {
            v.setSilentForMs(a.silentForMs());
        }
        if (a.pool() != null) {
            v.setPool(a.pool());
        }
        if (a.pendingAction() != null) {
            v.setPendingAction(PendingActionText.describe(a.pendingAction()));
        }
        if (a.softwareVersion() != null) {
            v.setSoftwareVersion(a.softwareVersion());
        }
        return v;
    }

    /** For an agent that runs the job: secret variables opened and merged into the environment. */
    static JobDescriptor descriptor(JobDefinition d, SecretSealer secrets) {
        JobDescriptor j = new JobDescriptor(d.jobId(), JobKind.valueOf(d.kind()), d.arguments(), d.shardCount(),
                d.taskTimeoutMs(), d.memoryMb());
        if (d.artifactSha256() != null) {
            j.setArtifactSha256(d.artifactSha256());
            j.setArtifactSize(d.artifactSize());
        }
        if (JobKind.valueOf(d.kind()) == JobKind.JVM) {
            j.setIsolation(isolation(d.isolation()));
        }
        if (d.entryClass() != null) {
            j.setEntryClass(d.entryClass());
        }
        if (!d.command().isEmpty()) {
            j.setCommand(d.command());
        }
        if (!d.environment().isEmpty() || !d.secretEnvironment().isEmpty()) {
            Map<String, String> environment = new HashMap<>(d.environment());
            environment.putAll(SecretEnvironment.open(d.secretEnvironment(), secrets));
            j.setEnvironment(environment);
        }
        if (d.workingDirectory() != null) {
            j.setWorkingDirectory(d.workingDirectory());
        }
        return j;
    }

    static JvmIsolation isolation(String definition) {
        return JobDefinition.IN_AGENT.equals(definition) ? JvmIsolation.IN_AGENT : JvmIsolation.WORKER;
    }

    static TaskView taskView(Response.TaskSnapshot t) {
        TaskView tv = new TaskView(t.task(), t.state().name(), t.attempts());
        if (t.agentId() != null) {
            tv.setAgentId(t.agentId());
        }
        if (t.error() != null) {
            tv.setError(t.error());
        }
        if (t.backups() > 0) {
            tv.setBackups(t.backups());
            tv.setBackupWon(t.backupWon());
        }
        return tv;
    }

    static io.drover.protocol.thrift.TaskPageView taskPage(Response.TaskPage p) {
        List<TaskView> tasks = new ArrayList<>(p.tasks().size());
        p.tasks().forEach(t -> tasks.add(taskView(t)));
        return new io.drover.protocol.thrift.TaskPageView().setJobId(p.jobId()).setMatched(p.matched())
                .setOffset(p.offset()).setTasks(tasks);
    }
}
