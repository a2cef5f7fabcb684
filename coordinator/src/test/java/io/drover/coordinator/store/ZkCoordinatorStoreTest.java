package io.drover.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.coordinator.core.Fact;
import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.core.JobState;
import io.drover.coordinator.core.RecoveredJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ZkCoordinatorStoreTest {
    private TestingServer server;
    private CuratorFramework zk;
    private ZkCoordinatorStore store;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        zk = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        zk.start();
        store = new ZkCoordinatorStore(zk, "/t");
    }

    @AfterEach
    void stop() throws Exception {
        zk.close();
        server.close();
    }

    static JobDefinition def(String id) {
        return new JobDefinition(id, "n", "o", "k-" + id, "JVM", "ab", 1, "x.Job", List.of(), 2, List.of(), List.of(),
                1, 1, 0, false, 0, Map.of(), 0, 5);
    }

    @Test
    void aDeposedLeaderCannotWriteAnything() {
        Epoch first = store.acquireEpoch();
        store.commit(first, List.of(new Fact.JobAccepted(def("j1"))));
        Epoch second = store.acquireEpoch();
        assertThat(second.value()).isEqualTo(first.value() + 1);
        assertThatThrownBy(() -> store.commit(first, List.of(new Fact.JobAccepted(def("j2")))))
                .isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> store.compact(first, List.of())).isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> store.artifacts().begin(first, "a".repeat(64), 10)).isInstanceOf(FencedException.class);
        assertThat(store.load()).extracting(j -> j.definition().jobId()).containsExactly("j1");
    }

    @Test
    void largeGroupCommitsAreSplitUnderTheZnodeLimitAndReadBackInOrder() {
        Epoch e = store.acquireEpoch();
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact.JobAccepted(new JobDefinition("big", "n", "o", "k", "JVM", "ab", 1, "x", List.of(), 20_000,
                List.of(), List.of(), 1, 1, 0, false, 0, Map.of(), 0, 5)));
        for (int i = 0; i < 20_000; i++) {
            facts.add(new Fact.TaskCommitted("big", i, i, new byte[100]));
        }
        store.commit(e, facts);
        assertThat(store.readLog()).hasSize(20_001);
        assertThat(store.load().get(0).committed()).hasSize(20_000);
    }

    @Test
    void aLongCompactionReportsProgressAfterEachTransaction() {
        Epoch e = store.acquireEpoch();
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact.JobAccepted(new JobDefinition("big", "n", "o", "k", "JVM", "ab", 1, "x", List.of(), 20_000,
                List.of(), List.of(), 1, 1, 0, false, 0, Map.of(), 0, 5)));
        for (int i = 0; i < 20_000; i++) {
            facts.add(new Fact.TaskCommitted("big", i, i, new byte[130]));
        }
        store.commit(e, facts);
        java.util.concurrent.atomic.AtomicInteger progress = new java.util.concurrent.atomic.AtomicInteger();
        store.compact(e, facts, progress::incrementAndGet);
        // About 2.7 MB of snapshot (commits in runs: ~134 bytes each) in 512 KiB transactions, then the log's deletes: a step for each.
        assertThat(progress.get()).isGreaterThanOrEqualTo(6);
        assertThat(store.readLog()).hasSize(20_001);
    }

    @Test
    void compactionReplacesTheLogAndLaterFactsStillApply() {
        Epoch e = store.acquireEpoch();
        store.commit(e, List.of(new Fact.JobAccepted(def("done")), new Fact.TaskCommitted("done", 0, 1, new byte[] {1}),
                new Fact.TaskCommitted("done", 1, 2, new byte[] {2})));
        store.commit(e, List.of(new Fact.JobEnded("done", JobState.SUCCEEDED, null, null, 9), new Fact.JobAccepted(def("live"))));
        store.compact(e, List.of(new Fact.JobAccepted(def("done")), new Fact.JobEnded("done", JobState.SUCCEEDED, null, null, 9),
                new Fact.JobAccepted(def("live"))));
        store.commit(e, List.of(new Fact.TaskCommitted("live", 1, 3, new byte[] {3})));
        assertThat(store.readLog()).hasSize(4);
        List<RecoveredJob> jobs = store.load();
        assertThat(jobs).extracting(j -> j.definition().jobId()).containsExactly("done", "live");
        assertThat(jobs.get(0).end().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(jobs.get(1).committed()).containsOnlyKeys(1);
    }
}
