package io.drover.coordinator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.ScheduleDefinition.Misfire;
import io.drover.coordinator.core.ScheduleDefinition.Overlap;
import io.drover.coordinator.core.ScheduleRun.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Schedules whose every fire submits a whole workflow, driven by hand with a fake clock. */
class SchedulesWorkflowTest {
    private static final long MINUTE = 60_000;
    private long now = 1_000_000;
    private long requests = 1;
    private final List<Fact> facts = new ArrayList<>();
    private Scheduler core = new Scheduler(CoreHarness.config(), 1, List.of(), now, new Effects());

    private Response send(ScheduleOp op) {
        long id = requests++;
        Effects out = new Effects();
        core.apply(new Event.ScheduleCommand(id, now, op), out);
        facts.addAll(out.facts());
        return out.replies().stream().filter(r -> r.requestId() == id).map(Effects.Reply::response).findFirst().orElse(null);
    }

    private void fire(String id, long t) {
        assertThat(send(new ScheduleOp.Fired(id, t))).as("fires get no reply").isNull();
    }

    private static JobDefinition job(String name, String... after) {
        JobDefinition d = new JobDefinition("template", name, "alice", "template/" + name, "JVM", "ab", 10, "x.Job",
                List.of(), 1, List.of(), List.of(), 1, 3, 0, false, 0, Map.of(), 0, 0);
        List<Dependency> deps = new ArrayList<>();
        for (String a : after) {
            deps.add(new Dependency(a, Dependency.Condition.SUCCEEDED));
        }
        return d.withDependencies(deps, Dependency.UpstreamFailure.SKIP);
    }

    /** extract → transform → report. */
    private static ScheduleDefinition pipeline(String id, Overlap overlap) {
        List<WorkflowJob> w = List.of(new WorkflowJob("report", job("report", "transform")),
                new WorkflowJob("extract", job("extract")), new WorkflowJob("transform", job("transform", "extract")));
        return new ScheduleDefinition(id, "0 * * * * ?", "UTC", null, Misfire.FIRE_ONCE_NOW, 10, overlap, false, 0, w);
    }

    private ScheduleSnapshot get(String id) {
        return ((Response.ScheduleAnswer) send(new ScheduleOp.Get(id))).schedules().get(0);
    }

    private JobState state(String jobId) {
        Effects out = new Effects();
        core.apply(new Event.Query(requests, now, Event.QueryKind.JOB, jobId, false, false, 0), out);
        return ((Response.JobSnapshot) out.replies().get(0).response()).state();
    }

    private void cancel(String jobId) {
        Effects out = new Effects();
        core.apply(new Event.CancelJob(requests++, now, jobId), out);
        facts.addAll(out.facts());
    }

    private List<Fact.JobAccepted> accepted() {
        return facts.stream().filter(f -> f instanceof Fact.JobAccepted).map(f -> (Fact.JobAccepted) f).toList();
    }

    @Test
    void aFireSubmitsEveryJobAtOnceWithFireKeysAndDependenciesOnTheFiresJobIds() {
        send(new ScheduleOp.Add(pipeline("etl", Overlap.ALLOW)));
        facts.clear();
        long t = now + MINUTE;
        fire("etl", t);
        assertThat(facts).as("three jobs and the fire record, in one turn: one group commit").hasSize(4);
        List<Fact.JobAccepted> jobs = accepted();
        assertThat(jobs).extracting(a -> a.definition().idempotencyKey()).as("upstream first, key per fire and name")
                .containsExactly("schedule:etl@" + t + "/extract", "schedule:etl@" + t + "/transform",
                        "schedule:etl@" + t + "/report");
        String runId = Schedules.runId("etl", Status.STARTED, t);
        assertThat(jobs).extracting(a -> a.definition().jobId())
                .containsExactly(runId + ".extract", runId + ".transform", runId + ".report");
        assertThat(jobs.get(1).definition().dependencies()).extracting(Dependency::jobId).containsExactly(runId + ".extract");
        assertThat(jobs.get(2).definition().dependencies()).extracting(Dependency::jobId).containsExactly(runId + ".transform");
        ScheduleRun run = get("etl").history().get(0);
        assertThat(run.jobId()).isNull();
        assertThat(run.workflowJobs()).containsExactly(Map.entry("extract", runId + ".extract"),
                Map.entry("transform", runId + ".transform"), Map.entry("report", runId + ".report"));
        assertThat(state(runId + ".report")).isEqualTo(JobState.WAITING);

        facts.clear();
        fire("etl", t); // a replayed fire
        assertThat(facts).isEmpty();
        ScheduleRun manual = ((Response.ScheduleAnswer) send(new ScheduleOp.RunNow("etl", "k1"))).run();
        assertThat(manual.workflowJobs()).hasSize(3);
        ScheduleRun again = ((Response.ScheduleAnswer) send(new ScheduleOp.RunNow("etl", "k1"))).run();
        assertThat(again.workflowJobs()).as("a retried run-now gets the same run").isEqualTo(manual.workflowJobs());
        assertThat(accepted()).hasSize(3);
    }

    @Test
    void forbidSkipsAFireWhileAnyJobOfThePreviousFireRunsAndTheRunEndsWithItsLastJob() {
        send(new ScheduleOp.Add(pipeline("etl", Overlap.FORBID)));
        long t1 = now + MINUTE;
        fire("etl", t1);
        String runId = Schedules.runId("etl", Status.STARTED, t1);
        cancel(runId + ".report"); // the downstream end; extract and transform still run or wait
        fire("etl", t1 + MINUTE);
        ScheduleSnapshot snap = get("etl");
        assertThat(snap.history()).extracting(ScheduleRun::status).containsExactly(Status.SKIPPED_OVERLAP, Status.STARTED);
        assertThat(snap.history().get(0).note()).contains(runId + ".extract").contains(runId + ".transform")
                .doesNotContain(runId + ".report");
        assertThat(snap.history().get(1).outcome()).as("the run goes on while a job of it does").isNull();

        cancel(runId + ".extract"); // transform is skipped: its upstream did not succeed
        assertThat(state(runId + ".transform")).isEqualTo(JobState.SKIPPED);
        assertThat(get("etl").history().get(1).outcome()).as("the worst end of its jobs").isEqualTo(JobState.CANCELLED);
        fire("etl", t1 + 2 * MINUTE);
        assertThat(get("etl").history()).extracting(ScheduleRun::status)
                .containsExactly(Status.STARTED, Status.SKIPPED_OVERLAP, Status.STARTED);
    }

    @Test
    void replaceCancelsEveryJobOfThePreviousFire() {
        send(new ScheduleOp.Add(pipeline("etl", Overlap.REPLACE)));
        long t1 = now + MINUTE;
        fire("etl", t1);
        fire("etl", t1 + MINUTE);
        String first = Schedules.runId("etl", Status.STARTED, t1);
        for (String name : List.of(".extract", ".transform", ".report")) {
            assertThat(state(first + name)).as(name).isIn(JobState.CANCELLED, JobState.SKIPPED);
        }
        assertThat(get("etl").history().get(0).note()).contains("replaced");
        assertThat(get("etl").history().get(1).outcome()).isNotNull();
    }

    @Test
    void aNewLeaderNeitherFiresTwiceNorLosesTheFiresJobs() {
        send(new ScheduleOp.Add(pipeline("etl", Overlap.ALLOW)));
        long t1 = now + MINUTE;
        fire("etl", t1);
        String before = get("etl").toString();
        for (int round = 0; round < 2; round++) {
            List<Fact> durable = round == 0 ? List.copyOf(facts) : core.durableSnapshot();
            core = new Scheduler(CoreHarness.config(), 2 + round, FactReplay.replayState(durable), now, new Effects());
            int acceptedBefore = accepted().size();
            fire("etl", t1);
            send(new ScheduleOp.CatchUp("etl", List.of(t1), 1));
            assertThat(accepted()).as("nothing fired twice").hasSize(acceptedBefore);
            assertThat(get("etl").toString()).isEqualTo(before);
        }
        String runId = Schedules.runId("etl", Status.STARTED, t1);
        cancel(runId + ".extract");
        assertThat(get("etl").history().get(0).outcome()).as("the run's end is followed after failover")
                .isEqualTo(JobState.CANCELLED);
    }

    @Test
    void aWorkflowThatDependsOnJobsOutsideItOrHasACycleIsRefused() {
        List<WorkflowJob> outside = List.of(new WorkflowJob("a", job("a", "j1-1")));
        Response r = send(new ScheduleOp.Add(new ScheduleDefinition("x", "0 * * * * ?", "UTC", null,
                Misfire.SKIP, 1, Overlap.ALLOW, false, 0, outside)));
        assertThat(r).isInstanceOfSatisfying(Response.Rejected.class, x -> assertThat(x.message()).contains("j1-1"));
        List<WorkflowJob> cycle = List.of(new WorkflowJob("a", job("a", "b")), new WorkflowJob("b", job("b", "a")));
        r = send(new ScheduleOp.Add(new ScheduleDefinition("y", "0 * * * * ?", "UTC", null,
                Misfire.SKIP, 1, Overlap.ALLOW, false, 0, cycle)));
        assertThat(r).isInstanceOfSatisfying(Response.Rejected.class, x -> assertThat(x.message()).contains("cycle"));
    }
}
