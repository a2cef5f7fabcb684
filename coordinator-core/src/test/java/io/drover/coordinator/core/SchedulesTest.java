package io.drover.coordinator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.ScheduleDefinition.Misfire;
import io.drover.coordinator.core.ScheduleDefinition.Overlap;
import io.drover.coordinator.core.ScheduleRun.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schedules part of the core, driven by hand with a fake clock: fires, policies, failover. */
class SchedulesTest {
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

    /** A new leader's core from the durable facts so far, taking over at {@code now}. */
    private void failover(long epoch) {
        core = new Scheduler(CoreHarness.config(), epoch, FactReplay.replayState(List.copyOf(facts)), now, new Effects());
    }

    private static ScheduleDefinition schedule(String id, Misfire misfire, int maxCatchUp, Overlap overlap) {
        JobDefinition template = new JobDefinition("template", id, "alice", "template", "JVM", "ab", 10, "x.Job",
                List.of(), 2, List.of(), List.of("500"), 1, 3, 0, false, 0, Map.of(), 0, 0);
        return new ScheduleDefinition(id, "0 * * * * ?", "UTC", template, misfire, maxCatchUp, overlap, false, 0);
    }

    private ScheduleSnapshot get(String id) {
        return ((Response.ScheduleAnswer) send(new ScheduleOp.Get(id))).schedules().get(0);
    }

    private Response.JobSnapshot job(String jobId) {
        Effects out = new Effects();
        core.apply(new Event.Query(requests, now, Event.QueryKind.JOB, jobId, false, false, 0), out);
        return (Response.JobSnapshot) out.replies().get(0).response();
    }

    private void cancel(String jobId) {
        Effects out = new Effects();
        core.apply(new Event.CancelJob(requests++, now, jobId), out);
        facts.addAll(out.facts());
    }

    private List<String> runJobs(String id) {
        return get(id).history().stream().filter(r -> r.jobId() != null).map(ScheduleRun::jobId).toList();
    }

    @Test
    void aFireStartsOneRunKeyedBySchedulAndTimeAndIsDurableInTheSameCommit() {
        send(new ScheduleOp.Add(schedule("nightly", Misfire.FIRE_ONCE_NOW, 10, Overlap.ALLOW)));
        facts.clear();
        long t = now + MINUTE;
        now = t + 3;
        fire("nightly", t);
        assertThat(facts).hasSize(2);
        Fact.JobAccepted accepted = (Fact.JobAccepted) facts.get(0);
        assertThat(accepted.definition().idempotencyKey()).isEqualTo("schedule:nightly@" + t);
        assertThat(accepted.definition().name()).isEqualTo("nightly");
        assertThat(accepted.definition().jobId()).as("run id: schedule and fire time in UTC")
                .isEqualTo("nightly@19700101T001740Z");
        assertThat(accepted.definition().submittedAtMs()).isEqualTo(t + 3);
        ScheduleRun run = ((ScheduleChange.Ran) ((Fact.ScheduleChanged) facts.get(1)).change()).run();
        assertThat(run).isEqualTo(new ScheduleRun("nightly", t, t + 3, Status.STARTED, accepted.definition().jobId(),
                null, null, 0));
        assertThat(get("nightly").lastFireMs()).isEqualTo(t);

        fire("nightly", t);          // the same time again (a second engine, a replay)
        fire("nightly", t - MINUTE); // an older time
        assertThat(facts).hasSize(2);
        assertThat(runJobs("nightly")).hasSize(1);
    }

    @Test
    void forbidSkipsAndRecordsWhileThePreviousRunRunsThenFiresAgain() {
        send(new ScheduleOp.Add(schedule("s", Misfire.SKIP, 10, Overlap.FORBID)));
        fire("s", now + MINUTE);
        fire("s", now + 2 * MINUTE);
        ScheduleSnapshot snap = get("s");
        assertThat(snap.history()).extracting(ScheduleRun::status).containsExactly(Status.SKIPPED_OVERLAP, Status.STARTED);
        assertThat(snap.history().get(0).note()).contains(snap.history().get(1).jobId()).contains("FORBID");
        assertThat(snap.lastFireMs()).as("a skipped fire is handled too").isEqualTo(now + 2 * MINUTE);

        cancel(snap.history().get(1).jobId());
        fire("s", now + 3 * MINUTE);
        assertThat(get("s").history()).extracting(ScheduleRun::status)
                .containsExactly(Status.STARTED, Status.SKIPPED_OVERLAP, Status.STARTED);
        assertThat(get("s").history().get(2).outcome()).as("how the first run ended").isEqualTo(JobState.CANCELLED);
    }

    @Test
    void replaceCancelsThePreviousRunInTheSameCommitAndAllowRunsBoth() {
        send(new ScheduleOp.Add(schedule("r", Misfire.SKIP, 10, Overlap.REPLACE)));
        send(new ScheduleOp.Add(schedule("a", Misfire.SKIP, 10, Overlap.ALLOW)));
        fire("r", now + MINUTE);
        fire("a", now + MINUTE);
        String first = runJobs("r").get(0);
        facts.clear();
        fire("r", now + 2 * MINUTE);
        fire("a", now + 2 * MINUTE);
        assertThat(job(first).state()).isEqualTo(JobState.CANCELLED);
        assertThat(facts.get(0)).isInstanceOfSatisfying(Fact.JobEnded.class, e -> {
            assertThat(e.jobId()).isEqualTo(first);
            assertThat(e.error()).contains("replaced by the next run of schedule r");
        });
        assertThat(get("r").history().get(0).note()).isEqualTo("replaced " + first);
        assertThat(get("r").history().get(1).outcome()).isEqualTo(JobState.CANCELLED);
        assertThat(runJobs("a")).hasSize(2).allSatisfy(j -> assertThat(job(j).state()).isEqualTo(JobState.RUNNING));
    }

    @Test
    void misfirePoliciesAfterAnOutage() {
        send(new ScheduleOp.Add(schedule("skip", Misfire.SKIP, 10, Overlap.ALLOW)));
        send(new ScheduleOp.Add(schedule("once", Misfire.FIRE_ONCE_NOW, 10, Overlap.ALLOW)));
        send(new ScheduleOp.Add(schedule("all", Misfire.FIRE_ALL, 3, Overlap.ALLOW)));
        List<Long> missed = List.of(now + MINUTE, now + 2 * MINUTE, now + 3 * MINUTE, now + 4 * MINUTE, now + 5 * MINUTE);
        now += 5 * MINUTE + 20_000;
        failover(2);
        for (String id : List.of("skip", "once", "all")) {
            send(new ScheduleOp.CatchUp(id, missed, 5));
        }
        assertThat(get("skip").history()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.SKIPPED_MISFIRE);
            assertThat(r.jobId()).isNull();
            assertThat(r.note()).startsWith("5 missed");
        });
        assertThat(get("once").history()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.STARTED);
            assertThat(r.scheduledMs()).isEqualTo(missed.get(4));
            assertThat(r.firedMs()).isEqualTo(now);
            assertThat(r.note()).contains("one run for 5 missed");
        });
        assertThat(get("all").history()).extracting(ScheduleRun::status)
                .containsExactly(Status.STARTED, Status.STARTED, Status.STARTED, Status.SKIPPED_MISFIRE);
        assertThat(get("all").history()).extracting(ScheduleRun::scheduledMs)
                .containsExactly(missed.get(4), missed.get(3), missed.get(2), missed.get(1));
        for (String id : List.of("skip", "once", "all")) {
            assertThat(get(id).lastFireMs()).isEqualTo(missed.get(4));
            send(new ScheduleOp.CatchUp(id, missed, 5)); // delivered twice: nothing new
            fire(id, missed.get(4));
        }
        assertThat(runJobs("once")).hasSize(1);
        assertThat(runJobs("all")).hasSize(3);
    }

    @Test
    void timesPassedWhileTheTriggerWasArmedFireAsUsualOnlyOlderOnesAreMissed() {
        send(new ScheduleOp.Add(schedule("s", Misfire.SKIP, 10, Overlap.ALLOW)));
        long added = now;
        now += 400; // the engine arms the new schedule a little late: the time at +300 ms passed meanwhile
        send(new ScheduleOp.CatchUp("s", List.of(added + 300), 1));
        assertThat(get("s").history()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.STARTED);
            assertThat(r.note()).isNull();
        });

        // A failover: times up to the new leader's start were missed; one after it only waited for the arming.
        long t = added + 300;
        now = t + 10 * MINUTE;
        failover(2);
        long takeover = now;
        now += 500;
        send(new ScheduleOp.CatchUp("s", List.of(takeover - 2 * MINUTE, takeover - MINUTE, takeover + 100), 12));
        assertThat(get("s").history()).extracting(ScheduleRun::status, ScheduleRun::scheduledMs, ScheduleRun::note)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Status.STARTED, takeover + 100, null),
                        org.assertj.core.groups.Tuple.tuple(Status.SKIPPED_MISFIRE, takeover - MINUTE,
                                "11 missed fire time(s) skipped (misfire SKIP)"),
                        org.assertj.core.groups.Tuple.tuple(Status.STARTED, t, null));
    }

    @Test
    void pausedSchedulesIgnoreFiresAndResumeLeavesMissedTimesToTheMisfirePolicy() {
        send(new ScheduleOp.Add(schedule("p", Misfire.FIRE_ONCE_NOW, 10, Overlap.ALLOW)));
        ScheduleSnapshot paused = ((Response.ScheduleAnswer) send(new ScheduleOp.SetPaused("p", true))).schedules().get(0);
        assertThat(paused.definition().paused()).isTrue();
        fire("p", now + MINUTE);
        send(new ScheduleOp.CatchUp("p", List.of(now + MINUTE), 1));
        assertThat(get("p").history()).isEmpty();
        assertThat(get("p").lastFireMs()).as("paused: nothing handled").isEqualTo(now);

        long pausedAt = now;
        now += 2 * MINUTE + 5_000;
        send(new ScheduleOp.SetPaused("p", false));
        send(new ScheduleOp.CatchUp("p", List.of(pausedAt + MINUTE, pausedAt + 2 * MINUTE), 2));
        assertThat(get("p").history()).singleElement().satisfies(r -> {
            assertThat(r.scheduledMs()).isEqualTo(pausedAt + 2 * MINUTE);
            assertThat(r.note()).isEqualTo("one run for 2 missed fire times (misfire FIRE_ONCE_NOW)");
        });
        assertThat(facts).filteredOn(f -> f instanceof Fact.ScheduleChanged c && c.change() instanceof ScheduleChange.Saved)
                .hasSize(3);
    }

    @Test
    void aNewLeaderNeverFiresAHandledTimeAgainAndKeepsTheHistory() {
        send(new ScheduleOp.Add(schedule("f", Misfire.FIRE_ALL, 10, Overlap.FORBID)));
        long t1 = now + MINUTE;
        fire("f", t1);
        fire("f", t1 + MINUTE); // skipped: overlap
        cancel(runJobs("f").get(0));
        String before = get("f").toString();

        // Failover: a new core (epoch 2) from the durable facts, then from a compacted snapshot.
        for (int round = 0; round < 2; round++) {
            List<Fact> durable = round == 0 ? List.copyOf(facts) : core.durableSnapshot();
            core = new Scheduler(CoreHarness.config(), 2 + round, FactReplay.replayState(durable), now, new Effects());
            assertThat(get("f").toString()).isEqualTo(before);
            fire("f", t1);
            fire("f", t1 + MINUTE);
            send(new ScheduleOp.CatchUp("f", List.of(t1, t1 + MINUTE), 2));
            assertThat(get("f").toString()).as("nothing fired twice").isEqualTo(before);
        }
        long t3 = t1 + 2 * MINUTE;
        fire("f", t3);
        assertThat(get("f").history()).extracting(ScheduleRun::status)
                .containsExactly(Status.STARTED, Status.SKIPPED_OVERLAP, Status.STARTED);
        assertThat(get("f").history().get(0).jobId()).isEqualTo(Schedules.runId("f", Status.STARTED, t3));
    }

    @Test
    void runNowIsIdempotentByRequestKeyAndForbidRefusesItWhileARunRuns() {
        send(new ScheduleOp.Add(schedule("m", Misfire.SKIP, 10, Overlap.FORBID)));
        ScheduleRun run = ((Response.ScheduleAnswer) send(new ScheduleOp.RunNow("m", "req-1"))).run();
        assertThat(run.status()).isEqualTo(Status.MANUAL);
        assertThat(((Response.ScheduleAnswer) send(new ScheduleOp.RunNow("m", "req-1"))).run()).isEqualTo(run);
        assertThat(send(new ScheduleOp.RunNow("m", "req-2"))).isInstanceOfSatisfying(Response.Rejected.class,
                r -> assertThat(r.message()).contains("forbids overlapping runs").contains(run.jobId()));
        assertThat(get("m").lastFireMs()).as("run-now is not a cron fire").isEqualTo(now);
    }

    @Test
    void runIdsNameTheScheduleAndTimeAndStayUniqueForTwoRunNowsInOneMillisecond() {
        send(new ScheduleOp.Add(schedule("m", Misfire.SKIP, 10, Overlap.ALLOW)));
        now = 1_234_567;
        String first = ((Response.ScheduleAnswer) send(new ScheduleOp.RunNow("m", "a"))).run().jobId();
        String second = ((Response.ScheduleAnswer) send(new ScheduleOp.RunNow("m", "b"))).run().jobId();
        assertThat(first).isEqualTo("m@manual-19700101T002034.567Z");
        assertThat(second).startsWith(first + "-1-").isNotEqualTo(first);
        assertThat(job(second).definition().name()).isEqualTo("m");
    }

    @Test
    void addIsIdempotentForTheSameDefinitionAndUnknownNamesAreRejected() {
        ScheduleDefinition d = schedule("x", Misfire.SKIP, 10, Overlap.ALLOW);
        send(new ScheduleOp.Add(d));
        long created = now;
        now += 5_000;
        assertThat(send(new ScheduleOp.Add(d))).isInstanceOfSatisfying(Response.ScheduleAnswer.class,
                a -> assertThat(a.schedules().get(0).definition().createdAtMs()).isEqualTo(created));
        assertThat(send(new ScheduleOp.Add(schedule("x", Misfire.FIRE_ALL, 10, Overlap.ALLOW))))
                .isInstanceOfSatisfying(Response.Rejected.class, r -> assertThat(r.message()).contains("already exists"));
        assertThat(send(new ScheduleOp.Get("nope"))).isEqualTo(new Response.Rejected("unknown schedule nope"));
        assertThat(send(new ScheduleOp.Remove("x"))).isInstanceOf(Response.ScheduleAnswer.class);
        assertThat(((Response.ScheduleAnswer) send(new ScheduleOp.ListAll())).schedules()).isEmpty();
        fire("x", now + MINUTE);
        assertThat(core.jobs()).isEmpty();
    }

    @Test
    void artifactsOfSchedulesAndOfTheJobsTheCoreHoldsAreReferenced() {
        assertThat(artifactRefs()).isEmpty();
        send(new ScheduleOp.Add(schedule("x", Misfire.SKIP, 1, Overlap.ALLOW)));
        assertThat(artifactRefs()).as("the template's jar, for future runs").containsExactly("ab");

        send(new ScheduleOp.RunNow("x", "k"));
        send(new ScheduleOp.Remove("x"));
        assertThat(artifactRefs()).as("still referenced by the run's job").containsExactly("ab");
    }

    private java.util.Set<String> artifactRefs() {
        Effects out = new Effects();
        core.apply(new Event.Query(requests++, now, Event.QueryKind.ARTIFACT_REFS, null, false, false, 0), out);
        return ((Response.ArtifactRefs) out.replies().get(0).response()).sha256s();
    }
}
