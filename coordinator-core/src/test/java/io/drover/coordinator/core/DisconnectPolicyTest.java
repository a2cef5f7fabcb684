package io.drover.coordinator.core;

import static io.drover.coordinator.core.CoreHarness.job;
import static io.drover.coordinator.core.CoreHarness.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.PendingAction.JobOverride;
import io.drover.coordinator.core.PendingAction.Kind;
import io.drover.coordinator.core.Response.AgentSnapshot;
import io.drover.coordinator.core.Response.Assignment;
import io.drover.coordinator.core.Response.HeartbeatAnswer;
import io.drover.coordinator.core.Response.TaskSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Silent agents under pool policies and per-job overrides, with the clock in the test's hands:
 * "offline for hours" is hours of fake time. Suspect after 3 s, default pool lost after 10 s,
 * pool "edge" lost after 2 h (grace 30 m) and told to stop its tasks after 4 h offline.
 */
class DisconnectPolicyTest {
    private static final long HOUR = 3_600_000;
    private final SchedulerConfig config = CoreHarness.config()
            .withPools(Map.of("edge", new DisconnectPolicy(2 * HOUR, HOUR / 2, 4 * HOUR)));
    private final CoreHarness h = new CoreHarness(config);

    private void registerEdge(String id, int slots) {
        h.apply(new Event.RegisterAgent(h.nextRequest++, h.now, id, "h-" + id, slots, Map.of("pool", "edge")));
    }

    private AgentSnapshot agent(String id) {
        Response.AgentList all = (Response.AgentList) h.apply(new Event.Query(h.nextRequest++, h.now, Event.QueryKind.AGENTS,
                null, false, false, 0));
        return all.agents().stream().filter(a -> a.agentId().equals(id)).findFirst().orElseThrow();
    }

    private TaskSnapshot task(String jobId, int task) {
        return h.job(jobId).tasks().get(task);
    }

    @Test
    void aSuspectEdgeAgentShowsHowLongItWasSilentAndWhatWillHappenToItsWork() {
        String id = h.submit(job("k", 3, false, 3));
        registerEdge("edge-1", 3);
        assertThat(h.heartbeat("edge-1", List.of()).assignments()).hasSize(3);
        assertThat(agent("edge-1").pendingAction()).as("alive: nothing pending").isNull();
        assertThat(agent("edge-1").silentForMs()).isNull();

        h.tick(4 * 60_000 + 12_000);

        AgentSnapshot a = agent("edge-1");
        assertThat(a.state()).isEqualTo(AgentState.SUSPECT);
        assertThat(a.silentForMs()).isEqualTo(252_000);
        assertThat(a.pool()).isEqualTo("edge");
        assertThat(a.pendingAction()).as("all 3 wait for the pool's LOST time, 1h55m48s away")
                .isEqualTo(new PendingAction(Kind.SUSPECT, 3, 0, 3, 6_948_000, false, List.of()));
        assertThat(h.job(id).running()).isEqualTo(3);

        h.tick(2 * HOUR);

        a = agent("edge-1");
        assertThat(a.state()).isEqualTo(AgentState.LOST);
        assertThat(a.pendingAction()).as("3 re-run elsewhere").isEqualTo(new PendingAction(Kind.LOST, 0, 3, 0, -252_000, false, List.of()));
        assertThat(h.job(id).pending()).isEqualTo(3);
    }

    @Test
    void aDroppedConnectionShortensTheWaitToThePoolsGrace() {
        h.submit(job("k", 1, false, 3));
        registerEdge("edge-1", 1);
        h.heartbeat("edge-1", List.of());
        h.apply(new Event.AgentDisconnected(h.now, "edge-1", -1));
        h.tick(1_000);
        assertThat(agent("edge-1").pendingAction()).as("LOST by the dropped connection's grace, 29m59s away")
                .isEqualTo(new PendingAction(Kind.SUSPECT, 1, 0, 1, 1_799_000, true, List.of()));
    }

    @Test
    void aJobWithAShorterOverrideHasItsAttemptsReRunWhileThePoolsWorkWaits() {
        String quick = h.submit(job("quick", 1, false, 3).withLostAfterMs(20 * 60_000));
        String patient = h.submit(job("patient", 2, false, 3));
        registerEdge("edge-1", 3);
        assertThat(h.heartbeat("edge-1", List.of()).assignments()).hasSize(3);
        h.register("dc-1", 3);

        h.tick(8 * 60_000);
        h.heartbeat("dc-1", List.of());
        assertThat(agent("edge-1").pendingAction()).as("2 wait for the pool's LOST in 1h52m, 1 for its job's 20m override, 12m away")
                .isEqualTo(new PendingAction(Kind.SUSPECT, 3, 0, 2, 6_720_000, false,
                        List.of(new JobOverride(1, 720_000, quick, false, 1_200_000))));

        h.tick(12 * 60_000);
        HeartbeatAnswer dc = h.heartbeat("dc-1", List.of());

        assertThat(dc.assignments()).singleElement().satisfies(a -> assertThat(a.jobId()).isEqualTo(quick));
        assertThat(h.job(patient).tasks()).allSatisfy(t -> assertThat(t.agentId()).isEqualTo("edge-1"));
        assertThat(agent("edge-1").state()).isEqualTo(AgentState.SUSPECT);
        assertThat(agent("edge-1").pendingAction()).as("2 wait for the pool's LOST in 1h40m")
                .isEqualTo(new PendingAction(Kind.SUSPECT, 2, 0, 2, 6_000_000, false, List.of()));
    }

    @Test
    void aJobWithALongerOverrideKeepsItsAttemptsOnALostDataCenterAgentAndItsResultCommitsOnce() {
        String keep = h.submit(job("keep", 1, false, 3).withLostAfterMs(HOUR));
        h.register("dc-1", 2);
        Assignment kept = h.heartbeat("dc-1", List.of()).assignments().get(0);
        String other = h.submit(job("other", 1, false, 3));
        h.heartbeat("dc-1", List.of());
        h.register("dc-2", 2);

        h.tick(11_000);

        assertThat(agent("dc-1").state()).isEqualTo(AgentState.LOST);
        assertThat(agent("dc-1").pendingAction()).as("1 re-run elsewhere; 1 kept by its job's 1h override, 59m49s away")
                .isEqualTo(new PendingAction(Kind.LOST, 1, 1, 0, -1_000, false,
                        List.of(new JobOverride(1, 3_589_000, keep, false, HOUR))));
        assertThat(h.heartbeat("dc-2", List.of()).assignments()).singleElement()
                .satisfies(a -> assertThat(a.jobId()).isEqualTo(other));
        assertThat(task(keep, 0).agentId()).isEqualTo("dc-1");

        h.tick(30 * 60_000);
        h.heartbeat("dc-1", List.of(ok(kept, new byte[] {7})));

        assertThat(h.committedCount(keep, 0)).isEqualTo(1);
        assertThat(h.job(keep).state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void aLongerOverrideStillEndsAndTheWorkRunsElsewhere() {
        String keep = h.submit(job("keep", 1, false, 3).withLostAfterMs(60_000));
        h.register("dc-1", 1);
        Assignment first = h.heartbeat("dc-1", List.of()).assignments().get(0);
        h.register("dc-2", 1);
        h.tick(30_000);
        h.heartbeat("dc-2", List.of());
        assertThat(task(keep, 0).agentId()).isEqualTo("dc-1");

        h.tick(31_000);
        Assignment second = h.heartbeat("dc-2", List.of()).assignments().get(0);

        assertThat(second.task()).isEqualTo(first.task());
        assertThat(agent("dc-1").pendingAction()).as("nothing held; gets work again when heard from")
                .isEqualTo(new PendingAction(Kind.LOST, 0, 0, 0, -51_000, false, List.of()));
        // The first attempt's late result still wins if it comes first; the second is then cancelled.
        HeartbeatAnswer late = h.heartbeat("dc-1", List.of(ok(first, new byte[] {1})));
        assertThat(late.ackedAttempts()).containsExactly(first.attemptId());
        assertThat(h.committedCount(keep, 0)).isEqualTo(1);
        assertThat(h.heartbeat("dc-2", List.of(ok(second, new byte[] {2}))).ackedAttempts()).containsExactly(second.attemptId());
        assertThat(h.committedCount(keep, 0)).isEqualTo(1);
    }

    @Test
    void anOverrideShorterThanTheSuspectThresholdActsWhenTheAgentTurnsSuspect() {
        String id = h.submit(job("k", 1, false, 3).withLostAfterMs(1_000));
        h.register("dc-1", 1);
        h.heartbeat("dc-1", List.of());
        h.tick(2_000);
        assertThat(task(id, 0).state()).as("alive agents keep their work").isEqualTo(TaskState.RUNNING);
        h.tick(1_000);
        assertThat(task(id, 0).state()).isEqualTo(TaskState.PENDING);
    }

    @Test
    void aLeaderTakingOverWhileAnEdgeAgentIsCutOffLeavesItsWorkAloneAndCommitsItsLateResultsOnce() {
        String id = h.submit(job("k", 2, false, 3));
        registerEdge("edge-1", 2);
        List<Assignment> onEdge = h.heartbeat("edge-1", List.of()).assignments();
        h.register("dc-1", 2);
        h.heartbeat("dc-1", List.of());
        h.tick(4_000);
        h.heartbeat("dc-1", List.of());
        assertThat(h.facts).filteredOn(f -> f instanceof Fact.AgentSilent).singleElement()
                .satisfies(f -> assertThat(((Fact.AgentSilent) f).attempts()).hasSize(2));

        // Failover: a new core from the durable facts alone, 40 minutes into the silence.
        h.now += 40 * 60_000;
        SchedulerConfig windowed = new SchedulerConfig(3_000, 10_000, 5_000, 100, 1_000, 100, 1_000, config.pools());
        Effects out = new Effects();
        h.core = new Scheduler(windowed, 2, FactReplay.replayState(h.facts), h.now, out);
        h.heartbeat("dc-1", List.of());
        h.tick(6_000); // the recovery window closes without edge-1
        assertThat(h.heartbeat("dc-1", List.of()).assignments()).as("edge work is left alone").isEmpty();
        AgentSnapshot edge = agent("edge-1");
        assertThat(edge.silentForMs()).isEqualTo(40 * 60_000 + 6_000 + 4_000 - 0);
        assertThat(edge.pendingAction()).as("both wait for the pool's LOST in 1h19m50s")
                .isEqualTo(new PendingAction(Kind.SUSPECT, 2, 0, 2, 4_790_000, false, List.of()));

        h.tick(30 * 60_000);
        List<Event.Report> results = new ArrayList<>();
        onEdge.forEach(a -> results.add(ok(a, new byte[] {(byte) a.task()})));
        HeartbeatAnswer back = h.heartbeat("edge-1", results);

        assertThat(back.ackedAttempts()).hasSize(2);
        assertThat(h.job(id).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(h.committedCount(id, 0) + h.committedCount(id, 1)).isEqualTo(2);
        assertThat(h.facts).last().isInstanceOf(Fact.JobEnded.class);
        assertThat(h.facts).filteredOn(f -> f instanceof Fact.AgentHeard).hasSize(1);
    }

    @Test
    void aRecordedSilenceWhoseTimeHasPassedReleasesTheWorkAtTheFirstTick() {
        String id = h.submit(job("k", 1, false, 3));
        registerEdge("edge-1", 1);
        h.heartbeat("edge-1", List.of());
        h.tick(4_000);
        h.now += 3 * HOUR;
        Effects out = new Effects();
        h.core = new Scheduler(config, 2, FactReplay.replayState(h.facts), h.now, out);
        assertThat(task(id, 0).agentId()).isEqualTo("edge-1");
        h.tick(50);
        assertThat(task(id, 0).state()).isEqualTo(TaskState.PENDING);
    }

    @Test
    void anAgentHeardAgainClearsItsRecordedSilenceSoANewLeaderDoesNotHoldItsWork() {
        String id = h.submit(job("k", 1, false, 3));
        registerEdge("edge-1", 1);
        Assignment a = h.heartbeat("edge-1", List.of()).assignments().get(0);
        h.tick(4_000);
        h.apply(new Event.Heartbeat(h.nextRequest++, h.now, "edge-1", List.of(),
                List.of(new Event.RunningAttempt(a.attemptId(), a.jobId(), a.task())), false, 0));
        assertThat(h.facts).filteredOn(f -> f instanceof Fact.AgentHeard).hasSize(1);
        Effects out = new Effects();
        h.core = new Scheduler(config, 2, FactReplay.replayState(h.facts), h.now, out);
        assertThat(task(id, 0).state()).as("soft state again: learnt from heartbeats").isEqualTo(TaskState.PENDING);
    }

    @Test
    void compactionKeepsARecordedSilence() {
        h.submit(job("k", 1, false, 3));
        registerEdge("edge-1", 1);
        h.heartbeat("edge-1", List.of());
        h.tick(4_000);
        List<Fact> snapshot = h.core.durableSnapshot();
        RecoveredState state = FactReplay.replayState(snapshot);
        assertThat(state.agents()).singleElement().satisfies(r -> {
            assertThat(r.silentSinceMs()).isEqualTo(1_000);
            assertThat(r.held()).hasSize(1);
        });
    }

    @Test
    void heartbeatAnswersCarryThePoolsOfflineStopBoundAndParkedOnesToo() {
        registerEdge("edge-1", 1);
        h.register("dc-1", 1);
        assertThat(h.heartbeat("edge-1", List.of()).offlineStopAfterMs()).isEqualTo(4 * HOUR);
        assertThat(h.heartbeat("dc-1", List.of()).offlineStopAfterMs()).as("default: keep running").isZero();
        long poll = h.poll("edge-1", 2_000);
        h.tick(2_000);
        assertThat(h.answerFor(poll).offlineStopAfterMs()).isEqualTo(4 * HOUR);
        assertThat(HeartbeatAnswer.EMPTY.offlineStopAfterMs()).as("unset").isNegative();
    }

    @Test
    void aDrainingAgentSaysItsWorkFinishesThere() {
        h.submit(job("k", 2, false, 3));
        h.register("dc-1", 2);
        h.heartbeat("dc-1", List.of());
        h.apply(new Event.DrainAgent(h.nextRequest++, h.now, "dc-1", true));
        assertThat(agent("dc-1").pendingAction()).as("2 finish here, no new work")
                .isEqualTo(new PendingAction(Kind.DRAINING, 2, 0, 0, 0, false, List.of()));
    }
}
