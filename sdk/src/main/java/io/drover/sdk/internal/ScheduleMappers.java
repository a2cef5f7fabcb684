package io.drover.sdk.internal;

import io.drover.sdk.DroverException;
import io.drover.sdk.Isolation;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.MisfirePolicy;
import io.drover.sdk.OverlapPolicy;
import io.drover.sdk.ScheduleRun;
import io.drover.sdk.ScheduleSpec;
import io.drover.sdk.ScheduleStatus;
import io.drover.sdk.Workflow;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.JvmIsolation;
import io.drover.protocol.thrift.ScheduleRunView;
import io.drover.protocol.thrift.ScheduleView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Schedules between the public SDK types and the generated Thrift structs. Pure functions. */
public final class ScheduleMappers {
    private ScheduleMappers() {
    }

    /** The wire form; {@code artifactSha256} is the uploaded jar's hash when the job names a local jar. */
    public static io.drover.protocol.thrift.ScheduleSpec toWire(ScheduleSpec spec, String artifactSha256) {
        return new io.drover.protocol.thrift.ScheduleSpec(spec.name(), spec.cron(), spec.zone().getId(),
                spec.job() == null ? null : Mappers.toSubmission(spec.job(), artifactSha256),
                io.drover.protocol.thrift.MisfirePolicy.valueOf(spec.misfire().name()), spec.maxCatchUp(),
                io.drover.protocol.thrift.OverlapPolicy.valueOf(spec.overlap().name()), spec.paused());
    }

    /** The wire form of a workflow schedule; {@code wire} holds its jobs, jars already uploaded. */
    public static io.drover.protocol.thrift.ScheduleSpec toWire(ScheduleSpec spec,
                                                                io.drover.protocol.thrift.WorkflowSubmission wire) {
        return toWire(spec, (String) null).setWorkflow(wire);
    }

    public static ScheduleStatus toStatus(ScheduleView v) {
        io.drover.protocol.thrift.ScheduleSpec s = v.getSpec();
        ScheduleSpec.Builder b;
        if (s.isSetWorkflow()) {
            Workflow.Builder w = Workflow.builder();
            s.getWorkflow().getJobs().forEach(j -> w.job(j.getName(), toJobSpec(j.getJob())));
            b = ScheduleSpec.builder(s.getName(), s.getCron(), w.build());
        } else {
            b = ScheduleSpec.builder(s.getName(), s.getCron(), toJobSpec(s.getJob()));
        }
        ScheduleSpec spec = b
                .zone(s.getTimeZone())
                .misfire(MisfirePolicy.valueOf(s.getMisfire().name()))
                .maxCatchUp(s.getMaxCatchUp())
                .overlap(OverlapPolicy.valueOf(s.getOverlap().name()))
                .paused(s.isPaused()).build();
        List<ScheduleRun> history = new ArrayList<>();
        if (v.isSetHistory()) {
            v.getHistory().forEach(r -> history.add(toRun(r)));
        }
        List<Instant> next = new ArrayList<>();
        if (v.isSetNextFireTimesMs()) {
            v.getNextFireTimesMs().forEach(t -> next.add(Instant.ofEpochMilli(t)));
        }
        return new ScheduleStatus(spec, Instant.ofEpochMilli(v.getCreatedAtMs()), Instant.ofEpochMilli(v.getLastFireAtMs()),
                history, next);
    }

    public static ScheduleRun toRun(ScheduleRunView r) {
        ScheduleRun.Status status;
        try {
            status = ScheduleRun.Status.valueOf(r.getStatus());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new DroverException("coordinator sent a schedule run with unknown status '" + r.getStatus()
                    + "' (is this SDK older than the coordinator?)", e);
        }
        return new ScheduleRun(Instant.ofEpochMilli(r.getScheduledAtMs()), Instant.ofEpochMilli(r.getFiredAtMs()), status,
                Optional.ofNullable(r.getJobId()),
                r.isSetJobState() ? Optional.of(Mappers.jobState(r.getJobState(), r.getJobId())) : Optional.<JobState>empty(),
                r.isSetFinishedAtMs() ? Optional.of(Instant.ofEpochMilli(r.getFinishedAtMs())) : Optional.empty(),
                Optional.ofNullable(r.getNote()), workflowJobs(r));
    }

    private static Map<String, String> workflowJobs(ScheduleRunView r) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (r.isSetWorkflowJobs()) {
            r.getWorkflowJobs().forEach(j -> out.put(j.getName(), j.getJobId()));
        }
        return out;
    }

    /** The schedule's run template as a job spec (artifact-based: the jar was uploaded when it was added). */
    static JobSpec toJobSpec(JobSubmission j) {
        JobSpec.Builder b = j.getKind() == JobKind.PROCESS ? JobSpec.process(j.getCommand())
                : JobSpec.jvmArtifact(j.getArtifactSha256(), j.getEntryClass());
        if (j.isSetEnvironment()) {
            b.environment(j.getEnvironment());
        }
        if (j.isSetWorkingDirectory()) {
            b.workingDirectory(j.getWorkingDirectory());
        }
        if (j.isSetShardParameters()) {
            b.shardParameters(j.getShardParameters());
        } else {
            b.shards(j.getShardCount());
        }
        return b.name(j.getName()).owner(j.getOwner())
                .arguments(j.getJobArguments() == null ? List.of() : j.getJobArguments())
                .slotsPerTask(j.getSlotsPerTask()).maxAttempts(j.getMaxAttempts())
                .taskTimeout(Duration.ofMillis(j.getTaskTimeoutMs())).reduce(j.isReduce()).priority(j.getPriority())
                .requiredLabels(j.getRequiredLabels() == null ? Map.of() : j.getRequiredLabels())
                .memoryMb(j.getMemoryMb())
                .lostAfter(j.isSetLostAfterMs() && j.getLostAfterMs() > 0 ? Duration.ofMillis(j.getLostAfterMs()) : null)
                .isolation(j.getIsolation() == JvmIsolation.IN_AGENT ? Isolation.IN_AGENT : Isolation.WORKER).build();
    }
}
