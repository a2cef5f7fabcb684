package io.drover.coordinator.rpc;

import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.core.ScheduleDefinition;
import io.drover.coordinator.core.ScheduleRun;
import io.drover.coordinator.core.ScheduleSnapshot;
import io.drover.coordinator.core.WorkflowJob;
import io.drover.coordinator.schedule.CronTimes;
import io.drover.coordinator.secrets.SecretEnvironment;
import io.drover.coordinator.secrets.SecretSealer;
import io.drover.coordinator.store.ArtifactStore;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.MisfirePolicy;
import io.drover.protocol.thrift.OverlapPolicy;
import io.drover.protocol.thrift.ScheduleRunView;
import io.drover.protocol.thrift.ScheduleSpec;
import io.drover.protocol.thrift.ScheduleView;
import io.drover.protocol.thrift.WorkflowJobId;
import io.drover.protocol.thrift.WorkflowSubmission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.quartz.CronExpression;

/**
 * Schedules to and from Thrift: checks a {@link ScheduleSpec} (cron and zone with Quartz's own
 * parser, the job template like a submit, including that its artifact exists) and builds views
 * with the next fire times.
 */
final class ScheduleWire {
    static final int DEFAULT_MAX_CATCH_UP = 10;
    static final int MAX_CATCH_UP = 1_000;
    static final int NEXT_FIRE_TIMES = 5;
    /** A workflow schedule's FIRE_ALL catch-up accepts at most maxCatchUp × jobs jobs in one turn. */
    static final int MAX_CATCH_UP_JOBS = 1_024;

    private ScheduleWire() {
    }

    /** @throws IllegalArgumentException naming every problem, prefixed with the schedule's name */
    static ScheduleDefinition toDefinition(ScheduleSpec s, ArtifactStore artifacts,
                                           SecretSealer sealer) {
        if (s == null) {
            throw new IllegalArgumentException("invalid schedule: empty spec");
        }
        String name = s.getName();
        List<String> problems = new ArrayList<>();
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,100}")) {
            problems.add("name must be 1..100 of letters, digits, '.', '_' or '-', was '" + name + "'");
        }
        try {
            CronTimes.parse(s.getCron(), s.getTimeZone());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        int maxCatchUp = s.getMaxCatchUp() == 0 ? DEFAULT_MAX_CATCH_UP : s.getMaxCatchUp();
        if (maxCatchUp < 1 || maxCatchUp > MAX_CATCH_UP) {
            problems.add("maxCatchUp must be 1.." + MAX_CATCH_UP + ", was " + maxCatchUp);
        }
        JobDefinition template = null;
        List<WorkflowJob> workflow = List.of();
        if (s.isSetWorkflow()) {
            if (s.getJob() != null) {
                problems.add("give a job or a workflow, not both");
            }
            try {
                workflow = workflowOf(s.getWorkflow(), artifacts, sealer);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        } else if (s.getJob() == null) {
            problems.add("job (or workflow) is required");
        } else {
            JobSubmission job = new JobSubmission(s.getJob());
            if (job.getName() == null || job.getName().isBlank()) {
                job.setName(name);
            }
            job.setIdempotencyKey("template");
            try {
                template = Submissions.toDefinition(job, artifacts, sealer);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (s.getMisfire() == MisfirePolicy.FIRE_ALL && (long) maxCatchUp * workflow.size() > MAX_CATCH_UP_JOBS) {
            // a catch-up starts its runs in one core turn: bound the jobs it accepts at once
            problems.add("FIRE_ALL with a workflow of " + workflow.size() + " jobs allows maxCatchUp up to "
                    + MAX_CATCH_UP_JOBS / workflow.size() + ", was " + maxCatchUp);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid schedule " + name + ": " + String.join("; ", problems));
        }
        return new ScheduleDefinition(name, s.getCron().trim(), s.getTimeZone(), template,
                s.getMisfire() == null ? ScheduleDefinition.Misfire.FIRE_ONCE_NOW
                        : ScheduleDefinition.Misfire.valueOf(s.getMisfire().name()),
                maxCatchUp,
                s.getOverlap() == null ? ScheduleDefinition.Overlap.ALLOW
                        : ScheduleDefinition.Overlap.valueOf(s.getOverlap().name()),
                s.isPaused(), 0, workflow);
    }

    /**
     * A schedule's workflow, checked as a workflow submit is; each job's idempotency key is a
     * placeholder (every fire derives its own) and a job without a name is named after its place.
     */
    private static List<WorkflowJob> workflowOf(WorkflowSubmission w, ArtifactStore artifacts, SecretSealer sealer) {
        if (w.getJobs() == null || w.getJobs().isEmpty()) {
            throw new IllegalArgumentException("a workflow needs at least one job");
        }
        if (w.getJobs().size() > Workflows.MAX_JOBS) {
            throw new IllegalArgumentException("a workflow may hold at most " + Workflows.MAX_JOBS + " jobs, this one has "
                    + w.getJobs().size());
        }
        WorkflowSubmission copy = new WorkflowSubmission(new ArrayList<>(w.getJobs().size()));
        for (io.drover.protocol.thrift.WorkflowJob j : w.getJobs()) {
            if (j.getName() == null || j.getName().isBlank() || j.getName().length() > 200 || j.getJob() == null) {
                throw new IllegalArgumentException("every job of a workflow needs a name of 1..200 characters and a spec");
            }
            JobSubmission job = new JobSubmission(j.getJob());
            if (job.getName() == null || job.getName().isBlank()) {
                job.setName(j.getName());
            }
            job.setIdempotencyKey("template/" + j.getName());
            copy.getJobs().add(new io.drover.protocol.thrift.WorkflowJob(j.getName(), job));
        }
        return Workflows.toJobs(copy, artifacts, sealer);
    }

    /** The one schedule an answer names. */
    static ScheduleView view(Response.ScheduleAnswer a, long nowMs) {
        return view(a.schedules().get(0), nowMs);
    }

    static ScheduleView view(ScheduleSnapshot s, long nowMs) {
        ScheduleDefinition d = s.definition();
        List<ScheduleRunView> history = new ArrayList<>(s.history().size());
        s.history().forEach(r -> history.add(run(r)));
        List<Long> next = List.of();
        if (!d.paused()) {
            CronExpression cron = CronTimes.parse(d.cron(), d.zone());
            next = CronTimes.next(cron, Math.max(nowMs, s.lastFireMs()), NEXT_FIRE_TIMES);
        }
        return new ScheduleView(spec(d), d.createdAtMs(), s.lastFireMs(), history, new ArrayList<>(next));
    }

    static ScheduleRunView run(ScheduleRun r) {
        ScheduleRunView v = new ScheduleRunView(r.scheduledMs(), r.firedMs(), r.status().name());
        if (r.jobId() != null) {
            v.setJobId(r.jobId());
        }
        if (r.outcome() != null) {
            v.setJobState(r.outcome().name());
            v.setFinishedAtMs(r.endedAtMs());
        }
        if (r.note() != null) {
            v.setNote(r.note());
        }
        if (!r.workflowJobs().isEmpty()) {
            List<WorkflowJobId> ids = new ArrayList<>(r.workflowJobs().size());
            r.workflowJobs().forEach((name, id) -> ids.add(new WorkflowJobId(name, id)));
            v.setWorkflowJobs(ids);
        }
        return v;
    }

    private static ScheduleSpec spec(ScheduleDefinition d) {
        ScheduleSpec s = new ScheduleSpec(d.id(), d.cron(), d.zone(), d.isWorkflow() ? null : submission(d.template()),
                MisfirePolicy.valueOf(d.misfire().name()), d.maxCatchUp(), OverlapPolicy.valueOf(d.overlap().name()),
                d.paused());
        if (d.isWorkflow()) {
            List<io.drover.protocol.thrift.WorkflowJob> jobs = new ArrayList<>(d.workflow().size());
            d.workflow().forEach(j -> jobs.add(new io.drover.protocol.thrift.WorkflowJob(j.ref(), submission(j.definition()))));
            s.setWorkflow(new WorkflowSubmission(jobs));
        }
        return s;
    }

    private static JobSubmission submission(JobDefinition t) {
        JobSubmission j = new JobSubmission(t.name(), t.owner(), t.idempotencyKey(), JobKind.valueOf(t.kind()),
                t.shardCount(), new ArrayList<>(t.arguments()), t.slotsPerTask(), t.maxAttempts(), t.taskTimeoutMs(),
                t.reduce(), t.priority(), new HashMap<>(t.requiredLabels()), t.memoryMb());
        if (t.artifactSha256() != null) {
            j.setArtifactSha256(t.artifactSha256());
        }
        if (t.entryClass() != null) {
            j.setEntryClass(t.entryClass());
        }
        if (!t.command().isEmpty()) {
            j.setCommand(new ArrayList<>(t.command()));
        }
        if (!t.shardParameters().isEmpty()) {
            j.setShardParameters(new ArrayList<>(t.shardParameters()));
        }
        if (t.lostAfterMs() > 0) {
            j.setLostAfterMs(t.lostAfterMs());
        }
        if (JobKind.valueOf(t.kind()) == JobKind.JVM) {
            j.setIsolation(WireMapper.isolation(t.isolation()));
        }
        if (!t.environment().isEmpty()) {
            j.setEnvironment(new HashMap<>(t.environment()));
        }
        if (t.workingDirectory() != null) {
            j.setWorkingDirectory(t.workingDirectory());
        }
        if (!t.constraints().isEmpty()) {
            j.setConstraints(new ArrayList<>(t.constraints().stream().map(PlacementSettings::wire).toList()));
        }
        if (t.spreadLabel() != null) {
            j.setSpreadLabel(t.spreadLabel());
        }
        if (!t.dependencies().isEmpty()) { // a schedule's workflow: names of other jobs of it
            j.setDependencies(new ArrayList<>(t.dependencies().stream().map(d ->
                    new io.drover.protocol.thrift.DependencySpec(d.jobId(), d.condition().name())).toList()));
            j.setOnUpstreamFailure(t.onUpstreamFailure().name());
        }
        if (t.backups() != JobDefinition.defaultBackups(t.kind())) {
            j.setBackups(t.backups());
        }
        if (!t.secretEnvironment().isEmpty()) { // names only: values never leave the coordinator for a client
            j.setSecretEnvironment(SecretEnvironment.masked(t.secretEnvironment()));
        }
        return j;
    }
}
