package io.drover.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.coordinator.auth.AuditRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit log on a real ZooKeeper: order, time filter, limit, trimming, fencing, odd text. */
class ZkAuditStoreTest {
    private TestingServer server;
    private CuratorFramework zk;
    private ZkCoordinatorStore facts;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        zk = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        zk.start();
        facts = new ZkCoordinatorStore(zk, "/t"); // owns the epoch that fences audit writes
    }

    @AfterEach
    void stop() throws Exception {
        zk.close();
        server.close();
    }

    @Test
    void entriesComeBackOldestFirstFromTheGivenTimeUpToTheLimit() {
        ZkAuditStore audit = new ZkAuditStore(zk, "/t");
        Epoch epoch = facts.acquireEpoch();
        audit.append(epoch, List.of(entry(1_000, "submit"), entry(2_000, "cancelJob")));
        audit.append(epoch, List.of(entry(3_000, "drainAgent"), entry(4_000, "forgetAgent")));

        assertThat(audit.read(0, 100)).extracting(AuditRecord::action)
                .containsExactly("submit", "cancelJob", "drainAgent", "forgetAgent");
        assertThat(audit.read(2_000, 2)).extracting(AuditRecord::action).containsExactly("cancelJob", "drainAgent");
        assertThat(audit.read(5_000, 10)).isEmpty();
        assertThat(audit.read(0, 1).get(0)).isEqualTo(entry(1_000, "submit"));
    }

    @Test
    void theLogKeepsOnlyTheNewestEntries() {
        ZkAuditStore audit = new ZkAuditStore(zk, "/t", 3);
        Epoch epoch = facts.acquireEpoch();
        audit.append(epoch, IntStream.range(0, 5).mapToObj(i -> entry(i, "a" + i)).toList());
        assertThat(audit.read(0, 100)).extracting(AuditRecord::action).containsExactly("a2", "a3", "a4");

        // The next trim comes after TRIM_EVERY more appends, in batches of any size.
        List<AuditRecord> more = new ArrayList<>();
        for (int i = 5; i < 5 + ZkAuditStore.TRIM_EVERY; i++) {
            more.add(entry(i, "a" + i));
        }
        audit.append(epoch, more);
        int last = 4 + ZkAuditStore.TRIM_EVERY;
        assertThat(audit.read(0, 1_000)).extracting(AuditRecord::action)
                .containsExactly("a" + (last - 2), "a" + (last - 1), "a" + last);
    }

    @Test
    void aDeposedLeaderCannotAppendAndANewOneReadsWhatWasWritten() {
        ZkAuditStore audit = new ZkAuditStore(zk, "/t");
        Epoch first = facts.acquireEpoch();
        audit.append(first, List.of(entry(1, "submit")));
        Epoch second = facts.acquireEpoch();

        assertThatThrownBy(() -> audit.append(first, List.of(entry(2, "cancelJob")))).isInstanceOf(FencedException.class);
        ZkAuditStore next = new ZkAuditStore(zk, "/t");
        next.append(second, List.of(entry(3, "drainAgent")));
        assertThat(next.read(0, 10)).extracting(AuditRecord::action).containsExactly("submit", "drainAgent");
    }

    @Test
    void userTextOfAnyKindAndLongMessagesSurvive() {
        ZkAuditStore audit = new ZkAuditStore(zk, "/t");
        AuditRecord odd = new AuditRecord(7, "b\u00f6b\u0000\u001b[2J", "viewer", "submit", "job '\u202eevil'",
                "::1", "failed: " + "x".repeat(5_000));
        audit.append(facts.acquireEpoch(), List.of(odd));
        AuditRecord back = audit.read(0, 1).get(0);
        assertThat(back).isEqualTo(odd);
        assertThat(back.outcome()).hasSize(AuditRecord.MAX_FIELD_CHARS).endsWith("...");
    }

    @Test
    void anEmptyClusterHasAnEmptyLog() {
        assertThat(new ZkAuditStore(zk, "/t").read(0, 10)).isEmpty();
    }

    private static AuditRecord entry(long atMs, String action) {
        return new AuditRecord(atMs, "alice", "submitter", action, "job j-" + atMs, "127.0.0.1", "ok");
    }
}
