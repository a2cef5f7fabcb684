package io.drover.coordinator.core;

import static io.drover.coordinator.core.CoreHarness.job;
import static io.drover.coordinator.core.CoreHarness.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.Dependency.Condition;
import io.drover.coordinator.core.Dependency.UpstreamFailure;
import io.drover.coordinator.core.Response.Assignment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Jobs that wait for others: WAITING, release on the upstream's end, FAIL/SKIP, refusals, failover. */
class DependenciesTest {
    private final CoreHarness h = new CoreHarness(CoreHarness.config());

    static JobDefinition after(String key, UpstreamFailure onFailure, Dependency... deps) {
        return job(key, 1, false, 1).withDependencies(List.of(deps), onFailure);
    }

    private List<Assignment> poll() {
        return h.heartbeat("a1", List.of()).assignments();
    }

    /** Reports the outcome; returns what the same heartbeat's answer assigns. */
    private List<Assignment> finish(Assignment a, boolean success) {
        return h.heartbeat("a1", List.of(success ? ok(a, new byte[] {7}) : CoreHarness.failed(a, "boom"))).assignments();
    }

    @Test
    void aDependantWaitsAndItsTasksAreNotOfferedUntilItsUpstreamSucceeds() {
        h.register("a1", 4);
        String a = h.submit(job("a", 1, false, 1));
        String b = h.submit(after("b", UpstreamFailure.FAIL, new Dependency(a, Condition.SUCCEEDED)));
        assertThat(h.job(b).state()).isEqualTo(JobState.WAITING);
        assertThat(h.job(b).waitingFor()).extracting(Response.UpstreamStatus::jobId).containsExactly(a);

        List<Assignment> first = poll();
        assertThat(first).extracting(Assignment::jobId).containsExactly(a);

        int factsBefore = h.facts.size();
        List<Assignment> next = finish(first.get(0), true);
        assertThat(h.job(a).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(h.job(b).state()).isEqualTo(JobState.RUNNING);
        // The release and the upstream's end come out of one turn: its end fact is among the facts the
        // shell commits before this answer (the assignment) leaves.
        assertThat(next).extracting(Assignment::jobId).containsExactly(b);
        assertThat(h.facts.subList(factsBefore, h.facts.size()))
                .anyMatch(f -> f instanceof Fact.JobEnded e && e.jobId().equals(a));
        Response.UpstreamResults results = (Response.UpstreamResults) h.apply(new Event.Query(h.nextRequest++, h.now,
                Event.QueryKind.UPSTREAM_RESULTS, b, false, false, 0));
        assertThat(results.upstream()).singleElement().satisfies(u -> {
            assertThat(u.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(u.result()).containsExactly(7);
        });
    }

    @Test
    void aFailedUpstreamFailsOrSkipsItsDependantsAndTheEndCascades() {
        h.register("a1", 4);
        String a = h.submit(job("a", 1, false, 1));
        String fail = h.submit(after("f", UpstreamFailure.FAIL, new Dependency(a, Condition.SUCCEEDED)));
        String skip = h.submit(after("s", UpstreamFailure.SKIP, new Dependency(a, Condition.SUCCEEDED)));
        String anyway = h.submit(after("any", UpstreamFailure.FAIL, new Dependency(a, Condition.FINISHED)));
        String grandchild = h.submit(after("g", UpstreamFailure.SKIP, new Dependency(skip, Condition.SUCCEEDED)));

        List<Assignment> next = finish(poll().get(0), false);

        assertThat(h.job(a).state()).isEqualTo(JobState.FAILED);
        assertThat(h.job(fail).state()).isEqualTo(JobState.FAILED);
        assertThat(h.job(fail).error()).contains("upstream job " + a).contains("ended FAILED");
        assertThat(h.job(skip).state()).isEqualTo(JobState.SKIPPED);
        assertThat(h.job(grandchild).state()).isEqualTo(JobState.SKIPPED);
        assertThat(h.job(anyway).state()).isEqualTo(JobState.RUNNING);
        assertThat(next).extracting(Assignment::jobId).containsExactly(anyway);
        assertThat(h.facts).filteredOn(f -> f instanceof Fact.JobEnded e && e.state() == JobState.SKIPPED).hasSize(2);
    }

    @Test
    void unknownUpstreamJobsAreRefusedAndNothingIsAccepted() {
        Response r = h.apply(new Event.SubmitJob(h.nextRequest++, h.now,
                after("x", UpstreamFailure.FAIL, new Dependency("j9-99", Condition.SUCCEEDED))));
        assertThat(r).isInstanceOf(Response.Rejected.class);
        assertThat(((Response.Rejected) r).message()).contains("unknown upstream job j9-99");
        assertThat(h.facts).noneMatch(f -> f instanceof Fact.JobAccepted);
    }

    @Test
    void aWorkflowIsAcceptedUpstreamFirstWithNamesRewrittenToJobIds() {
        Response r = h.apply(new Event.SubmitWorkflow(h.nextRequest++, h.now, List.of(
                new WorkflowJob("c", after("w/c", UpstreamFailure.FAIL, new Dependency("b", Condition.SUCCEEDED))),
                new WorkflowJob("b", after("w/b", UpstreamFailure.FAIL, new Dependency("a", Condition.SUCCEEDED))),
                new WorkflowJob("a", job("w/a", 1, false, 1)))));
        Response.WorkflowSubmitted ws = (Response.WorkflowSubmitted) r;
        assertThat(ws.jobIds().keySet()).containsExactly("a", "b", "c");
        assertThat(h.job(ws.jobIds().get("c")).definition().dependencies())
                .containsExactly(new Dependency(ws.jobIds().get("b"), Condition.SUCCEEDED));
        assertThat(h.job(ws.jobIds().get("a")).state()).isEqualTo(JobState.RUNNING);
        assertThat(h.job(ws.jobIds().get("b")).state()).isEqualTo(JobState.WAITING);

        Response again = h.apply(new Event.SubmitWorkflow(h.nextRequest++, h.now, List.of(
                new WorkflowJob("c", after("w/c", UpstreamFailure.FAIL, new Dependency("b", Condition.SUCCEEDED))),
                new WorkflowJob("b", after("w/b", UpstreamFailure.FAIL, new Dependency("a", Condition.SUCCEEDED))),
                new WorkflowJob("a", job("w/a", 1, false, 1)))));
        assertThat(again).isEqualTo(new Response.WorkflowSubmitted(ws.jobIds(), true));
    }

    @Test
    void aCycleIsRefusedNamingItAndNothingIsAccepted() {
        Response r = h.apply(new Event.SubmitWorkflow(h.nextRequest++, h.now, List.of(
                new WorkflowJob("start", job("w/s", 1, false, 1)),
                new WorkflowJob("a", after("w/a", UpstreamFailure.FAIL, new Dependency("start", Condition.SUCCEEDED),
                        new Dependency("c", Condition.SUCCEEDED))),
                new WorkflowJob("b", after("w/b", UpstreamFailure.FAIL, new Dependency("a", Condition.SUCCEEDED))),
                new WorkflowJob("c", after("w/c", UpstreamFailure.FAIL, new Dependency("b", Condition.FINISHED))))));
        assertThat(((Response.Rejected) r).message()).isEqualTo("the workflow has a cycle: a -> c -> b -> a");
        assertThat(h.facts).noneMatch(f -> f instanceof Fact.JobAccepted);

        Response self = h.apply(new Event.SubmitWorkflow(h.nextRequest++, h.now, List.of(
                new WorkflowJob("a", after("w/a", UpstreamFailure.FAIL, new Dependency("a", Condition.SUCCEEDED))))));
        assertThat(((Response.Rejected) self).message()).contains("cycle: a -> a");
        Response unknown = h.apply(new Event.SubmitWorkflow(h.nextRequest++, h.now, List.of(
                new WorkflowJob("a", after("w/a", UpstreamFailure.FAIL, new Dependency("nope", Condition.SUCCEEDED))))));
        assertThat(((Response.Rejected) unknown).message()).contains("depends on 'nope'");
    }

    @Test
    void aWaitingJobStillWaitsAfterAFailoverAndIsReleasedByTheNewLeader() {
        h.register("a1", 4);
        String a = h.submit(job("a", 1, false, 1));
        String b = h.submit(after("b", UpstreamFailure.FAIL, new Dependency(a, Condition.SUCCEEDED)));
        Assignment onA = poll().get(0);

        Effects out = new Effects();
        h.core = new Scheduler(CoreHarness.config(), 2, FactReplay.replayState(h.facts), h.now, out);
        h.facts.addAll(out.facts());
        assertThat(h.job(b).state()).isEqualTo(JobState.WAITING);
        h.register("a1", 4);
        h.apply(new Event.Heartbeat(h.nextRequest++, h.now, "a1", List.of(),
                List.of(new Event.RunningAttempt(onA.attemptId(), a, 0)), false, 0));
        finish(onA, true);
        assertThat(h.job(b).state()).isEqualTo(JobState.RUNNING);

        // A leader taking over after the upstream's end was committed releases the dependant at once.
        Effects out2 = new Effects();
        h.core = new Scheduler(CoreHarness.config(), 3, FactReplay.replayState(h.facts), h.now, out2);
        assertThat(h.job(b).state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void theTransitionTableAllowsWaitingOnlyToStartEndOrBeSkipped() {
        assertThat(JobState.WAITING.to(JobState.RUNNING)).isEqualTo(JobState.RUNNING);
        assertThat(JobState.SKIPPED.isTerminal()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JobState.RUNNING.to(JobState.WAITING))
                .isInstanceOf(IllegalStateException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JobState.WAITING.to(JobState.SUCCEEDED))
                .isInstanceOf(IllegalStateException.class);
    }
}
