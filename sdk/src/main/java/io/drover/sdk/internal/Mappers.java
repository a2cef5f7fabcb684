package io.drover.sdk.internal;

import io.drover.sdk.AgentStatus;
import io.drover.sdk.DroverException;
import io.drover.sdk.Isolation;
import io.drover.sdk.JobPlacement;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import io.drover.sdk.TaskStatus;
import io.drover.protocol.ConstraintText;
import io.drover.protocol.thrift.AgentView;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.JobView;
import io.drover.protocol.thrift.JvmIsolation;
import io.drover.protocol.thrift.PlacementConstraint;
import io.drover.protocol.thrift.TaskView;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translates between the public SDK types and the generated Thrift structs, so that Thrift types
 * never appear in public signatures. Pure functions; unknown wire values become a
 * {@link DroverException} naming the field rather than a silent default.
 */
public final class Mappers {
    private Mappers() {
    }

    /**
     * The wire form of {@code spec}. {@code artifactSha256} is the uploaded jar's hash for a JVM
     * job built from a local jar; otherwise the spec's own artifact hash (or none) is used.
     */
    public static JobSubmission toSubmission(JobSpec spec, String artifactSha256) {
        JobSubmission s = new JobSubmission();
        s.setName(spec.name());
        s.setOwner(spec.owner());
        s.setIdempotencyKey(spec.idempotencyKey());
        if (spec.kind() == JobSpec.Kind.JVM) {
            s.setKind(JobKind.JVM);
            String sha = artifactSha256 != null ? artifactSha256 : spec.artifactSha256().orElse(null);
            if (sha == null) {
                throw new IllegalArgumentException("a JVM job needs an artifactSha256 (upload the jar first)");
            }
            s.setArtifactSha256(sha);
            s.setEntryClass(spec.entryClass().orElseThrow());
            s.setIsolation(spec.isolation() == Isolation.IN_AGENT ? JvmIsolation.IN_AGENT : JvmIsolation.WORKER);
        } else {
            s.setKind(JobKind.PROCESS);
            s.setCommand(new ArrayList<>(spec.command()));
            if (!spec.environment().isEmpty()) {
                s.setEnvironment(new HashMap<>(spec.environment()));
            }
            if (!spec.secretEnvironment().isEmpty()) {
                s.setSecretEnvironment(new HashMap<>(spec.secretEnvironment()));
            }
            spec.workingDirectory().ifPresent(s::setWorkingDirectory);
        }
        s.setShardCount(spec.shardCount());
        if (!spec.shardParameters().isEmpty()) {
            s.setShardParameters(new ArrayList<>(spec.shardParameters()));
        }
        s.setJobArguments(new ArrayList<>(spec.arguments()));
        if (!spec.constraints().isEmpty()) {
            List<PlacementConstraint> constraints = new ArrayList<>(spec.constraints().size());
            spec.constraints().forEach(c -> constraints.add(ConstraintText.parse(c)));
            s.setConstraints(constraints);
        }
        spec.spreadLabel().ifPresent(s::setSpreadLabel);
        spec.backups().ifPresent(s::setBackups);
        s.setSlotsPerTask(spec.slotsPerTask());
        s.setMaxAttempts(spec.maxAttempts());
        s.setTaskTimeoutMs(spec.taskTimeout().toMillis());
        s.setReduce(spec.reduce());
        s.setPriority(spec.priority());
        s.setRequiredLabels(new HashMap<>(spec.requiredLabels()));
        s.setMemoryMb(spec.memoryMb());
        spec.lostAfter().ifPresent(d -> s.setLostAfterMs(d.toMillis()));
        if (!spec.dependencies().isEmpty()) {
            List<io.drover.protocol.thrift.DependencySpec> deps = new ArrayList<>();
            spec.dependencies().forEach(d -> deps.add(new io.drover.protocol.thrift.DependencySpec(d.jobId(),
                    d.condition().name())));
            s.setDependencies(deps);
            s.setOnUpstreamFailure(spec.onUpstreamFailure().name());
        }
        return s;
    }

    /** The public snapshot of a job; {@code resultBytes} is the job's single result when present. */
    public static JobStatus toJobStatus(JobView v) {
        List<TaskStatus> tasks = new ArrayList<>();
        if (v.isSetTasks()) {
            for (TaskView t : v.getTasks()) {
                tasks.add(toTaskStatus(t));
            }
        }
        return new JobStatus(v.getJobId(), v.getName(), v.getOwner(), jobState(v.getState(), v.getJobId()),
                v.getTotalTasks(), v.getSucceeded(), v.getFailed(), v.getRunning(), v.getPending(),
                v.isSetError() ? v.getError() : null,
                Instant.ofEpochMilli(v.getSubmittedAtMs()),
                v.isSetFinishedAtMs() ? Optional.of(Instant.ofEpochMilli(v.getFinishedAtMs())) : Optional.empty(),
                List.copyOf(tasks),
                v.isSetResult() ? Optional.of(v.getResult()) : Optional.empty(),
                v.isSetResultCodec() ? Optional.of(v.getResultCodec()) : Optional.empty(), placement(v),
                dependencies(v), v.isSetBackupsStarted()
                        ? Optional.of(new io.drover.sdk.JobBackups(v.getBackupsStarted(), v.getBackupsWon()))
                        : Optional.empty());
    }

    private static JobPlacement placement(JobView v) {
        if (!v.isSetPlacement() && !v.isSetWaiting() && !v.isSetQueueWait()) {
            return JobPlacement.NONE;
        }
        List<String> constraints = new ArrayList<>();
        Optional<String> spread = Optional.empty();
        if (v.isSetPlacement()) {
            if (v.getPlacement().isSetConstraints()) {
                v.getPlacement().getConstraints().forEach(c -> constraints.add(ConstraintText.format(c)));
            }
            spread = Optional.ofNullable(v.getPlacement().getSpreadLabel());
        }
        return new JobPlacement(constraints, spread,
                v.isSetWaiting() ? Optional.ofNullable(v.getWaiting().getSummary()) : Optional.empty(),
                v.isSetQueueWait() ? Optional.of(queueWait(v.getQueueWait())) : Optional.empty());
    }

    private static io.drover.sdk.QueueWait queueWait(io.drover.protocol.thrift.QuotaWait w) {
        return new io.drover.sdk.QueueWait(w.getReason(), w.getOwner(), w.getRunning(),
                w.isSetMaxRunning() ? w.getMaxRunning() : io.drover.sdk.Quota.NO_CAP, w.getWeight(), w.getOwnersAhead(),
                w.getSummary());
    }

    /** A quota as the leader applies it. */
    public static io.drover.sdk.Quota toQuota(io.drover.protocol.thrift.QuotaView v) {
        return new io.drover.sdk.Quota(v.getOwner(), v.isSetMaxRunning() ? v.getMaxRunning() : io.drover.sdk.Quota.NO_CAP,
                v.isSetWeight() ? v.getWeight() : 1, v.isExplicit(), v.getRunning(), v.getReady());
    }

    private static List<io.drover.sdk.Dependency.Status> dependencies(JobView v) {
        if (!v.isSetDependencies()) {
            return List.of();
        }
        List<io.drover.sdk.Dependency.Status> out = new ArrayList<>();
        for (io.drover.protocol.thrift.DependencyView d : v.getDependencies()) {
            io.drover.sdk.Dependency.Condition c = "FINISHED".equals(d.getCondition())
                    ? io.drover.sdk.Dependency.Condition.FINISHED : io.drover.sdk.Dependency.Condition.SUCCEEDED;
            out.add(new io.drover.sdk.Dependency.Status(d.getJobId(), c, Optional.ofNullable(d.getName()),
                    d.isSetState() ? Optional.of(jobState(d.getState(), d.getJobId())) : Optional.empty()));
        }
        return List.copyOf(out);
    }

    public static TaskStatus toTaskStatus(TaskView t) {
        return new TaskStatus(t.getTask(), t.getState(), t.getAttempts(),
                t.isSetAgentId() ? Optional.of(t.getAgentId()) : Optional.empty(),
                t.isSetError() ? Optional.of(t.getError()) : Optional.empty(), t.getBackups(), t.isBackupWon());
    }

    /** Shard results in shard order, or empty when the coordinator sent none (e.g. the job has a reduce step). */
    public static Optional<List<byte[]>> shardResults(JobView v) {
        if (!v.isSetShardResults()) {
            return Optional.empty();
        }
        List<byte[]> out = new ArrayList<>(v.getShardResultsSize());
        for (ByteBuffer b : v.getShardResults()) {
            ByteBuffer copy = b.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            out.add(bytes);
        }
        return Optional.of(List.copyOf(out));
    }

    public static AgentStatus toAgentStatus(AgentView a) {
        Map<String, String> labels = a.isSetLabels() ? Map.copyOf(a.getLabels()) : Map.of();
        return new AgentStatus(a.getAgentId(), a.getHost(), a.getState(), a.getSlots(), a.getRunning(),
                Instant.ofEpochMilli(a.getLastHeartbeatMs()), labels, a.getCompletedTasks(),
                a.isSetSilentForMs() ? Optional.of(java.time.Duration.ofMillis(a.getSilentForMs())) : Optional.empty(),
                Optional.ofNullable(a.getPool()), Optional.ofNullable(a.getPendingAction()),
                Optional.ofNullable(a.getSoftwareVersion()));
    }

    static JobState jobState(String wire, String jobId) {
        if (wire == null) {
            throw new DroverException("coordinator sent job " + jobId + " without a state");
        }
        try {
            return JobState.valueOf(wire);
        } catch (IllegalArgumentException e) {
            throw new DroverException("coordinator sent job " + jobId + " with unknown state '" + wire
                    + "' (is this SDK older than the coordinator?)", e);
        }
    }
}
