package io.drover.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.coordinator.core.Fact;
import io.drover.coordinator.core.JobDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One group commit whose facts exceed what one ZooKeeper request takes (1 MiB jute.maxbuffer) is
 * written as several fenced transactions, each under the byte budget, counted by the facts' real
 * encoded size (not an estimate that misses names and labels); a new leader reads them all back.
 */
class GroupCommitBudgetTest {
    private TestingServer server;
    private CuratorFramework zk;
    private ZkCoordinatorStore store;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        zk = client();
        store = new ZkCoordinatorStore(zk, "/t");
    }

    @AfterEach
    void stop() throws Exception {
        zk.close();
        server.close();
    }

    private CuratorFramework client() {
        CuratorFramework c = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        c.start();
        return c;
    }

    /** A job whose labels take about {@code labelBytes}: the estimate used to count none of them. */
    static JobDefinition labelled(String id, int labelBytes) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; labelBytes > 0; i++, labelBytes -= 50_000) {
            labels.put("k" + i, "v".repeat(Math.min(50_000, labelBytes)));
        }
        return new JobDefinition(id, "n", "o", "k-" + id, "JVM", "ab", 1, "x.Job", List.of(), 1, List.of(), List.of(),
                1, 1, 0, false, 0, labels, 0, 5);
    }

    @Test
    void aTurnOfFactsLargerThanOneZooKeeperRequestIsCommittedInSeveralTransactionsAndReadBack() throws Exception {
        Epoch e = store.acquireEpoch();
        List<Fact> turn = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            turn.add(new Fact.JobAccepted(labelled("big" + i, 200_000)));
        }
        for (int i = 0; i < 24; i++) {
            turn.add(new Fact.TaskCommitted("big0", 0, i, new byte[64 * 1024]));
        }
        store.commitAsync(e, turn).get(30, TimeUnit.SECONDS);
        assertThat(store.transactionsCommitted()).as("2.8 MB in transactions of at most 512 KiB").isGreaterThanOrEqualTo(6);

        // Failover: another coordinator's client takes a new epoch and replays the log.
        try (CuratorFramework other = client()) {
            ZkCoordinatorStore next = new ZkCoordinatorStore(other, "/t");
            next.acquireEpoch();
            List<Fact> replayed = next.readLog();
            assertThat(replayed).hasSize(30);
            assertThat(replayed.subList(0, 6)).extracting(Fact::jobId).containsExactly("big0", "big1", "big2", "big3", "big4", "big5");
            assertThat(((Fact.JobAccepted) replayed.get(5)).definition().requiredLabels()).hasSize(4);
            assertThat(next.load()).hasSize(6);
        }
    }

    @Test
    void everyTransactionOfASplitCommitIsFenced() {
        Epoch first = store.acquireEpoch();
        store.acquireEpoch();
        List<Fact> turn = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            turn.add(new Fact.JobAccepted(labelled("late" + i, 200_000)));
        }
        assertThatThrownBy(() -> store.commitAsync(first, turn).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(FencedException.class);
        assertThat(store.readLog()).isEmpty();
    }

    @Test
    void aSingleFactBeyondTheBudgetIsRefusedAndNothingOfItsTurnIsWritten() {
        Epoch e = store.acquireEpoch();
        List<Fact> turn = List.of(new Fact.JobAccepted(labelled("small", 10)),
                new Fact.JobAccepted(labelled("huge", 600_000)));
        assertThatThrownBy(() -> store.commitAsync(e, turn).get(30, TimeUnit.SECONDS))
                .hasMessageContaining("huge").hasMessageContaining("budget");
        assertThatThrownBy(() -> store.commit(e, turn)).hasMessageContaining("budget");
        assertThat(store.readLog()).isEmpty();
    }
}
