package io.drover.coordinator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.Response.Assignment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-owner caps, weighted fair share, why ready tasks wait, and quotas as durable facts. */
class QuotasTest {
    private final CoreHarness h = new CoreHarness(CoreHarness.config());
    /** Running assignments by attempt id, to finish them. */
    private final Map<Long, Assignment> running = new HashMap<>();

    private Response setQuota(String owner, int maxRunning, int weight) {
        return h.apply(new Event.SetQuota(h.nextRequest++, h.now, new Quota(owner, maxRunning, weight)));
    }

    private List<Assignment> take(String agent, List<Event.Report> reports) {
        List<Assignment> got = h.heartbeat(agent, reports).assignments();
        got.forEach(a -> running.put(a.attemptId(), a));
        return got;
    }

    private Map<String, Integer> runningByOwner(Map<String, String> ownerOfJob) {
        Map<String, Integer> out = new HashMap<>();
        running.values().forEach(a -> out.merge(ownerOfJob.get(a.jobId()), 1, Integer::sum));
        return out;
    }

    private Event.Report finish(Assignment a) {
        running.remove(a.attemptId());
        return CoreHarness.ok(a, new byte[] {1});
    }

    @Test
    void theCapHoldsAcrossJobsAndTheStatusSaysSo() {
        setQuota("alice", 2, 1);
        h.register("a1", 8);
        String one = h.submit(CoreHarness.job("alice", "k1", 3, 0));
        String two = h.submit(CoreHarness.job("alice", "k2", 3, 0));
        assertThat(take("a1", List.of())).hasSize(2);
        assertThat(take("a1", List.of())).isEmpty();
        QueueWait wait = h.job(two).queueWait();
        assertThat(wait.reason()).isEqualTo(QueueWait.Reason.QUOTA);
        assertThat(wait.running()).isEqualTo(2);
        assertThat(wait.maxRunning()).isEqualTo(2);
        assertThat(h.job(one).queueWait().reason()).isEqualTo(QueueWait.Reason.QUOTA);
        Assignment done = running.values().iterator().next();
        assertThat(take("a1", List.of(finish(done)))).hasSize(1); // one ends, one more starts
        assertThat(running).hasSize(2);
    }

    @Test
    void theDefaultEntryCapsEachOwnerWithoutOneOnItsOwn() {
        setQuota(Quota.DEFAULT_OWNER, 1, 1);
        setQuota("carol", Quota.NO_CAP, 1);
        h.register("a1", 8);
        h.submit(CoreHarness.job("alice", "k1", 3, 0));
        h.submit(CoreHarness.job("bob", "k2", 3, 0));
        h.submit(CoreHarness.job("carol", "k3", 3, 0));
        List<Assignment> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            got.addAll(take("a1", List.of()));
        }
        assertThat(got).hasSize(5); // alice 1, bob 1, carol 3
    }

    @Test
    void sharesConvergeToTheWeightsWhileBothOwnersHaveWork() {
        setQuota("alice", Quota.NO_CAP, 3);
        setQuota("bob", Quota.NO_CAP, 1);
        h.register("a1", 8);
        Map<String, String> owners = new HashMap<>();
        owners.put(h.submit(CoreHarness.job("bob", "b", 200, 0)), "bob"); // bob's is older: age does not help
        owners.put(h.submit(CoreHarness.job("alice", "a", 200, 0)), "alice");
        take("a1", List.of());
        assertThat(runningByOwner(owners)).containsEntry("alice", 6).containsEntry("bob", 2);
        java.util.Random rnd = new java.util.Random(17);
        Map<String, Integer> completed = new HashMap<>();
        for (int round = 0; round < 100; round++) { // tasks end in random order; freed slots refill by share
            List<Assignment> all = new ArrayList<>(running.values());
            Assignment a = all.get(rnd.nextInt(all.size()));
            completed.merge(owners.get(a.jobId()), 1, Integer::sum);
            take("a1", List.of(finish(a)));
            assertThat(runningByOwner(owners)).containsEntry("alice", 6).containsEntry("bob", 2);
        }
        assertThat(completed.get("alice") + completed.get("bob")).isEqualTo(100);
    }

    @Test
    void theOwnerAboveItsShareWaitsForShareAndPriorityOrdersOnlyWithinAnOwner() {
        h.register("a1", 3);
        String bobLow = h.submit(CoreHarness.job("bob", "b1", 10, 0));
        String bobHigh = h.submit(CoreHarness.job("bob", "b2", 10, 9));
        String alice = h.submit(CoreHarness.job("alice", "a1", 10, 0));
        List<Assignment> got = take("a1", List.of());
        // bob, alice, bob by share (ties go to priority, then age); bob's high-priority job goes first of his
        assertThat(got).extracting(Assignment::jobId).containsExactlyInAnyOrder(bobHigh, bobHigh, alice);
        QueueWait bobWait = h.job(bobLow).queueWait();
        assertThat(bobWait.reason()).isEqualTo(QueueWait.Reason.SHARE);
        assertThat(bobWait.ownersAhead()).isEqualTo(1);
        assertThat(h.job(alice).queueWait().reason()).isEqualTo(QueueWait.Reason.NO_SLOT);
    }

    @Test
    void aQuotaChangeTakesEffectAtOnceAndSurvivesAFailover() {
        setQuota("alice", 1, 1);
        h.register("a1", 8);
        String job = h.submit(CoreHarness.job("alice", "k1", 4, 0));
        assertThat(take("a1", List.of())).hasSize(1);
        long poll = h.poll("a1", 30_000);
        assertThat(h.answerFor(poll)).isNull(); // parked: alice is at her cap
        Response set = h.apply(new Event.SetQuota(h.nextRequest++, h.now, "alice", 3, null)); // weight kept
        assertThat(((Response.QuotaList) set).quotas().get(0).quota().maxRunning()).isEqualTo(3);
        setQuota("alice", 3, 2);
        assertThat(h.apply(new Event.SetQuota(h.nextRequest++, h.now, "alice", null, 0))).isInstanceOf(Response.Rejected.class);
        assertThat(h.answerFor(poll).assignments()).hasSize(2);
        assertThat(h.job(job).queueWait().reason()).isEqualTo(QueueWait.Reason.QUOTA);

        RecoveredState recovered = FactReplay.replayState(h.facts);
        assertThat(recovered.quotas()).containsExactly(new Quota("alice", 3, 2));
        assertThat(FactReplay.replayState(h.core.durableSnapshot()).quotas()).containsExactly(new Quota("alice", 3, 2));

        Response removed = h.apply(new Event.RemoveQuota(h.nextRequest++, h.now, "alice"));
        assertThat(removed).isInstanceOf(Response.QuotaList.class);
        assertThat(h.apply(new Event.RemoveQuota(h.nextRequest++, h.now, "alice"))).isInstanceOf(Response.Rejected.class);
        assertThat(FactReplay.replayState(h.facts).quotas()).isEmpty();
        assertThat(take("a1", List.of())).hasSize(1); // no cap any more: the last task starts
        Response.QuotaList list = (Response.QuotaList) h.apply(new Event.Query(h.nextRequest++, h.now,
                Event.QueryKind.QUOTAS, null, false, false, 0));
        assertThat(list.quotas()).singleElement().satisfies(u -> {
            assertThat(u.quota().owner()).isEqualTo("alice");
            assertThat(u.explicit()).isFalse();
            assertThat(u.running()).isEqualTo(4);
        });
    }
}
