package io.drover.coordinator.store;

import static io.drover.coordinator.store.ZkCoordinatorStoreTest.def;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.coordinator.core.DurableSnapshot;
import io.drover.coordinator.core.Fact;
import io.drover.coordinator.core.JobState;
import io.drover.coordinator.core.RecoveredJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Finished jobs written once beside the snapshots, on a real ZooKeeper. */
class ZkFinishedJobsTest {
    private TestingServer server;
    private CuratorFramework zk;
    private ZkCoordinatorStore store;
    private final AtomicInteger built = new AtomicInteger();

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

    private List<Fact> doneFacts(String id, int tasks) {
        List<Fact> out = new ArrayList<>();
        out.add(new Fact.JobAccepted(def(id)));
        for (int i = 0; i < tasks; i++) {
            out.add(new Fact.TaskCommitted(id, i, i + 1, new byte[0]));
        }
        out.add(new Fact.JobEnded(id, JobState.SUCCEEDED, null, null, 9));
        return out;
    }

    private DurableSnapshot.FinishedJob finished(String id, int tasks) {
        return new DurableSnapshot.FinishedJob(id, () -> {
            built.incrementAndGet();
            return doneFacts(id, tasks);
        });
    }

    @Test
    void aFinishedJobIsWrittenOnceAndEveryLaterSnapshotKeepsIt() {
        Epoch e = store.acquireEpoch();
        store.commit(e, doneFacts("done", 2));
        store.commit(e, List.of(new Fact.JobAccepted(def("live"))));
        store.compact(e, new DurableSnapshot(List.of(new Fact.JobAccepted(def("live"))), List.of(finished("done", 2))), () -> { });
        store.commit(e, List.of(new Fact.TaskCommitted("live", 1, 3, new byte[] {3})));
        store.compact(e, new DurableSnapshot(List.of(new Fact.JobAccepted(def("live")),
                new Fact.TaskCommitted("live", 1, 3, new byte[] {3})), List.of(finished("done", 2))), () -> { });
        assertThat(built).as("the finished job's facts were built for the first compaction only").hasValue(1);

        store.commit(e, List.of(new Fact.JobAccepted(def("later"))));
        List<RecoveredJob> jobs = store.load();
        assertThat(jobs).extracting(j -> j.definition().jobId()).containsExactly("done", "live", "later");
        assertThat(jobs.get(0).end().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(jobs.get(0).committed()).containsOnlyKeys(0, 1);
        assertThat(jobs.get(1).committed()).containsOnlyKeys(1);
        assertThat(new ZkCoordinatorStore(zk, "/t").readLog()).as("another coordinator reads the same").hasSize(7);
    }

    @Test
    void anArchiveNoSnapshotNamesIsRemovedAndAHalfWrittenOneRewritten() throws Exception {
        Epoch e = store.acquireEpoch();
        store.commit(e, doneFacts("a", 1));
        store.commit(e, doneFacts("b", 1));
        store.compact(e, new DurableSnapshot(List.of(), List.of(finished("a", 1), finished("b", 1))), () -> { });
        assertThat(zk.checkExists().forPath("/t/finished/a")).isNotNull();

        store.commit(e, List.of(new Fact.JobAccepted(def("c"))));
        store.compact(e, new DurableSnapshot(List.of(new Fact.JobAccepted(def("c"))), List.of(finished("b", 1))), () -> { });
        assertThat(zk.checkExists().forPath("/t/finished/a")).as("evicted: its archive goes").isNull();
        assertThat(store.load()).extracting(j -> j.definition().jobId()).containsExactly("b", "c");

        // A compaction that died part-way left an archive without its chunk count: a new leader rewrites it.
        zk.create().forPath("/t/finished/c", new byte[0]);
        zk.create().forPath("/t/finished/c/c-000000", new byte[] {1, 2, 3});
        ZkCoordinatorStore next = new ZkCoordinatorStore(zk, "/t");
        Epoch e2 = next.acquireEpoch();
        next.commit(e2, List.of(new Fact.JobEnded("c", JobState.CANCELLED, "x", null, 10)));
        next.compact(e2, new DurableSnapshot(List.of(), List.of(finished("b", 1), new DurableSnapshot.FinishedJob("c",
                () -> List.of(new Fact.JobAccepted(def("c")), new Fact.JobEnded("c", JobState.CANCELLED, "x", null, 10))))),
                () -> { });
        List<RecoveredJob> jobs = next.load();
        assertThat(jobs).extracting(j -> j.definition().jobId()).containsExactly("b", "c");
        assertThat(jobs.get(1).end().state()).isEqualTo(JobState.CANCELLED);
        assertThat(built).as("b was archived once, by the first leader").hasValue(2);
    }

    @Test
    void aDeposedLeaderCannotArchive() {
        Epoch first = store.acquireEpoch();
        store.commit(first, doneFacts("done", 1));
        store.acquireEpoch();
        assertThatThrownBy(() -> store.compact(first, new DurableSnapshot(List.of(), List.of(finished("done", 1))), () -> { }))
                .isInstanceOf(FencedException.class);
        assertThat(store.load()).extracting(j -> j.definition().jobId()).containsExactly("done");
    }

    @Test
    void jobIdsThatAreNoPlainZnodeNameAreEncoded() {
        assertThat(ZkFinishedJobs.nameOf("j3-17")).isEqualTo("j3-17");
        assertThat(ZkFinishedJobs.nameOf("a/b")).isEqualTo("x612f62");
        assertThat(ZkFinishedJobs.nameOf("x1")).as("no clash with an encoded name").startsWith("x78");
        assertThat(ZkFinishedJobs.manifest(List.of("aa", "bb", "cc"), 6)).extracting(String::new)
                .containsExactly("aa\nbb\n", "cc\n");
    }
}
