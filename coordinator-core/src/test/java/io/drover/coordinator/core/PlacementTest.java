package io.drover.coordinator.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.coordinator.core.Constraint.Op;
import io.drover.coordinator.core.Response.Assignment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Constraints, spread across a label, the cached-artifact preference and why a job waits. */
class PlacementTest {
    private final CoreHarness h = new CoreHarness(CoreHarness.config());

    private void register(String agent, int slots, Map<String, String> labels) {
        h.apply(new Event.RegisterAgent(h.nextRequest++, h.now, agent, "h-" + agent, slots, labels));
    }

    private void register(String agent, int slots, Map<String, String> labels, List<String> cached, long memoryMb) {
        h.apply(new Event.RegisterAgent(h.nextRequest++, h.now, agent, "h-" + agent, slots, labels, "t", cached,
                memoryMb));
    }

    private static JobDefinition job(String key, int shards, List<Constraint> constraints, String spread) {
        return CoreHarness.job(key, shards, false, 1).withPlacement(constraints, spread);
    }

    private List<Assignment> take(String agent) {
        return h.heartbeat(agent, List.of()).assignments();
    }

    @Test
    void eachOperatorMatchesLabelsAsDocumented() {
        Map<String, String> gpu = Map.of("gpu", "a100", "site", "eu-1");
        assertTrue(new Constraint("gpu", Op.IN, List.of("a100", "h100")).test(gpu));
        assertFalse(new Constraint("gpu", Op.IN, List.of("h100")).test(gpu));
        assertFalse(new Constraint("gpu", Op.IN, List.of("a100")).test(Map.of()));
        assertTrue(new Constraint("gpu", Op.NOT_IN, List.of("t4")).test(gpu));
        assertTrue(new Constraint("gpu", Op.NOT_IN, List.of("t4")).test(Map.of()));
        assertTrue(new Constraint("site", Op.NE, List.of("edge-3")).test(gpu));
        assertFalse(new Constraint("site", Op.NE, List.of("eu-1")).test(gpu));
        assertTrue(new Constraint("site", Op.NE, List.of("eu-1")).test(Map.of()));
        assertTrue(Constraint.eq("site", "eu-1").test(gpu));
        assertTrue(new Constraint("ssd", Op.NOT_EXISTS, List.of()).test(gpu));
        assertFalse(new Constraint("ssd", Op.EXISTS, List.of()).test(gpu));
        assertEquals("gpu not in (t4,v100)", new Constraint("gpu", Op.NOT_IN, List.of("t4", "v100")).toString());
    }

    @Test
    void malformedConstraintsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Constraint("gpu", Op.EQ, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Constraint("gpu", Op.EXISTS, List.of("x")));
        assertThrows(IllegalArgumentException.class, () -> new Constraint("g pu", Op.EXISTS, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Constraint("gpu", Op.IN, List.of("a,b")));
        assertThrows(IllegalArgumentException.class, () -> job("k", 1, List.of(), "bad label"));
    }

    @Test
    void aConstrainedJobRunsOnlyOnAgentsThatMeetEveryConstraint() {
        register("plain", 4, Map.of("site", "eu-1"));
        register("edge", 4, Map.of("site", "edge-3", "gpu", "a100"));
        register("gpu", 4, Map.of("site", "eu-1", "gpu", "h100", "ssd", "yes"));
        String id = h.submit(job("c", 3, List.of(new Constraint("gpu", Op.IN, List.of("a100", "h100")),
                new Constraint("site", Op.NE, List.of("edge-3")), new Constraint("ssd", Op.EXISTS, List.of())), null));
        assertTrue(take("plain").isEmpty());
        assertTrue(take("edge").isEmpty());
        List<Assignment> got = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) { // the fair share counts every agent: one task per ask here
            got.addAll(take("gpu"));
            assertTrue(take("plain").isEmpty());
            assertTrue(take("edge").isEmpty());
        }
        assertEquals(3, got.size());
        assertTrue(got.stream().allMatch(a -> a.jobId().equals(id)));
        assertNull(h.job(id).waiting(), "a job some agent can run does not wait for placement");
    }

    @Test
    void aJobNoAgentCanEverRunSaysWhichRequirementAndHowManyAgentsFailIt() {
        register("a", 2, Map.of("gpu", "t4"), List.of(), 8_000);
        register("b", 4, Map.of(), List.of(), 16_000);
        JobDefinition def = new JobDefinition("pending", "big", "alice", "w", "JVM", "ab", 10, "x.Job", List.of(), 1,
                List.of(), List.of(), 8, 1, 0, false, 0, Map.of("zone", "z1"), 32_000, 0)
                .withPlacement(List.of(new Constraint("gpu", Op.IN, List.of("a100"))), null);
        String id = h.submit(def);
        take("a");
        take("b");
        PlacementWait w = h.job(id).waiting();
        assertNotNull(w);
        assertEquals(2, w.agentsTakingWork());
        Map<String, PlacementWait.Blocker> byWhat = new HashMap<>();
        w.blockers().forEach(b -> byWhat.put(b.constraint() != null ? b.constraint().toString() : b.kind().name(), b));
        assertEquals(2, byWhat.get("zone = z1").agentsFailing());
        assertEquals(2, byWhat.get("gpu in (a100)").agentsFailing());
        assertEquals(2, byWhat.get("SLOTS").agentsFailing());
        assertEquals(4, byWhat.get("SLOTS").mostOffered());
        assertEquals(2, byWhat.get("MEMORY").agentsFailing());
        assertEquals(16_000, byWhat.get("MEMORY").mostOffered());

        register("fits", 8, Map.of("zone", "z1", "gpu", "a100"), List.of(), 64_000);
        assertNull(h.job(id).waiting(), "once an agent could run it, it no longer waits for placement");
        assertEquals(1, take("fits").size());
    }

    @Test
    void withNoAgentAtAllTheJobSaysSo() {
        String id = h.submit(job("none", 1, List.of(), null));
        PlacementWait w = h.job(id).waiting();
        assertEquals(0, w.agentsTakingWork());
        assertTrue(w.blockers().isEmpty());
    }

    @Test
    void spreadBalancesRunningTasksAcrossTheLabelsValues() {
        register("a1", 8, Map.of("site", "a"));
        register("a2", 8, Map.of("site", "a"));
        register("b1", 8, Map.of("site", "b"));
        String id = h.submit(job("s", 12, List.of(), "site"));
        Map<String, Integer> bySite = new HashMap<>();
        for (int round = 0; round < 6; round++) {
            for (String agent : List.of("a1", "a2", "b1")) {
                String site = agent.substring(0, 1);
                bySite.merge(site, take(agent).size(), Integer::sum);
            }
        }
        assertEquals(12, bySite.values().stream().mapToInt(Integer::intValue).sum(), "every task runs: " + bySite);
        assertEquals(6, bySite.get("a"), "site a (two agents) runs as many as site b (one agent): " + bySite);
        assertEquals(6, bySite.get("b"));
        assertEquals(12, h.job(id).running());
    }

    @Test
    void spreadDoesNotHoldBackWorkWhenTheOtherValueIsFull() {
        register("a1", 8, Map.of("site", "a"));
        register("b1", 1, Map.of("site", "b"));
        h.submit(job("s", 6, List.of(), "site"));
        int total = 0;
        for (int round = 0; round < 6; round++) {
            total += take("b1").size();
            total += take("a1").size();
        }
        assertEquals(6, total, "site b is full after one task; site a takes the rest");
    }

    @Test
    void anAgentHoldingTheArtifactPrefersThatJob() {
        register("w", 1, Map.of(), List.of("cafe"), 0);
        JobDefinition older = CoreHarness.job("older", 1, false, 1);
        JobDefinition cached = new JobDefinition("pending", "test", "alice", "cached", "JVM", "cafe", 10, "x.Job",
                List.of(), 1, List.of(), List.of(), 1, 1, 0, false, 0, Map.of(), 0, 0);
        h.submit(older);
        String cachedId = h.submit(cached);
        List<Assignment> got = take("w");
        assertEquals(1, got.size());
        assertEquals(cachedId, got.get(0).jobId(), "the agent holding artifact cafe takes its job before the older one");
    }

    @Test
    void anAgentRemembersTheArtifactsItWasSentWithinItsBound() {
        AgentRecord a = new AgentRecord("a", "h", 1, Map.of(), 0);
        for (int i = 0; i < AgentRecord.MAX_CACHED_ARTIFACTS + 10; i++) {
            a.noteArtifact("sha" + i);
        }
        assertEquals(AgentRecord.MAX_CACHED_ARTIFACTS, a.cachedArtifacts.size());
        assertFalse(a.holdsArtifact("sha0"), "the oldest go first");
        assertTrue(a.holdsArtifact("sha" + (AgentRecord.MAX_CACHED_ARTIFACTS + 9)));
    }
}
