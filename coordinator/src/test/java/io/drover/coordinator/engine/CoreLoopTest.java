package io.drover.coordinator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.Effects;
import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.core.RecoveredJob;
import io.drover.coordinator.core.RecoveredState;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.core.ScheduleOp;
import io.drover.coordinator.core.Scheduler;
import io.drover.coordinator.core.SchedulerConfig;
import io.drover.coordinator.store.Epoch;
import io.drover.coordinator.store.StoreException;
import io.drover.coordinator.store.ZkCoordinatorStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The core loop on a real ZooKeeper store: an event the core cannot apply is refused alone and the
 * loop keeps leading; a turn whose facts exceed one ZooKeeper request is committed in several
 * fenced transactions, and a new leader replays all of it.
 */
class CoreLoopTest {
    private static final int VALUE_BYTES = 64 * 1024;

    private TestingServer server;
    private CuratorFramework zk;
    private ZkCoordinatorStore store;
    private CoreLoop loop;
    private final List<StoreException> failures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        zk = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        zk.start();
        store = new ZkCoordinatorStore(zk, "/t");
        Epoch epoch = store.acquireEpoch();
        Clock clock = Clock.systemUTC();
        Scheduler core = new Scheduler(SchedulerConfig.defaults(), epoch.value(), new RecoveredState(List.of(), List.of()),
                clock.millis(), new Effects());
        loop = new CoreLoop(core, store, epoch, clock, 50, 1_000_000, new LoopMetrics(), failures::add);
        loop.start();
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
        zk.close();
        server.close();
    }

    private Response ask(java.util.function.LongFunction<Event> event) throws Exception {
        return loop.offer(event).get(20, TimeUnit.SECONDS);
    }

    @Test
    void eventsTheCoreCannotApplyAreRefusedAloneAndTheLoopKeepsLeading() throws Exception {
        for (ScheduleOp op : List.of(new ScheduleOp.Get(null), new ScheduleOp.SetPaused(null, true),
                new ScheduleOp.Remove(null), new ScheduleOp.RunNow(null, "k"))) {
            assertThat(ask(id -> new Event.ScheduleCommand(id, loop.nowMs(), op))).isInstanceOf(Response.Rejected.class);
        }
        assertThat(ask(id -> new Event.SubmitJob(id, loop.nowMs(), null))).isInstanceOf(Response.Rejected.class);
        assertThat(ask(id -> new Event.Heartbeat(id, loop.nowMs(), "a", null, null, false, 0)))
                .isInstanceOf(Response.Rejected.class);
        assertThat(ask(id -> new Event.CancelJob(id, loop.nowMs(), null))).isInstanceOf(Response.Rejected.class);
        assertThat(ask(id -> new Event.RegisterAgent(id, loop.nowMs(), "a", "h", 1, Map.of())))
                .isInstanceOf(Response.Registered.class);
        assertThat(failures).as("still leading").isEmpty();
    }

    @Test
    void aTurnOfResultsBeyondOneZooKeeperRequestIsCommittedInPartsAndReplayedAfterFailover() throws Exception {
        int shards = 24; // 24 results of 64 KiB: 1.5 MiB of facts from one heartbeat
        ask(id -> new Event.RegisterAgent(id, loop.nowMs(), "agent", "host", shards, Map.of()));
        JobDefinition def = new JobDefinition("pending", "big", "alice", "key", "PROCESS", null, 0, null, List.of("/bin/true"),
                shards, List.of(), List.of(), 1, 1, 0, false, 0, Map.of(), 0, 0);
        String jobId = ((Response.Submitted) ask(id -> new Event.SubmitJob(id, loop.nowMs(), def))).jobId();
        List<Response.Assignment> assigned = new ArrayList<>();
        while (assigned.size() < shards) {
            Response.HeartbeatAnswer a = (Response.HeartbeatAnswer) ask(id ->
                    new Event.Heartbeat(id, loop.nowMs(), "agent", List.of(), List.of(), false, 0));
            assigned.addAll(a.assignments());
        }
        List<Event.Report> reports = new ArrayList<>();
        for (Response.Assignment a : assigned) {
            byte[] value = new byte[VALUE_BYTES];
            value[0] = (byte) a.task();
            reports.add(new Event.Report(a.attemptId(), a.jobId(), a.task(), Event.Outcome.SUCCEEDED, value, null));
        }
        long before = store.transactionsCommitted();
        Response.HeartbeatAnswer acked = (Response.HeartbeatAnswer) ask(id ->
                new Event.Heartbeat(id, loop.nowMs(), "agent", reports, List.of(), false, 0));
        assertThat(acked.ackedAttempts()).hasSize(shards);
        assertThat(store.transactionsCommitted() - before).as("one turn, several transactions").isGreaterThanOrEqualTo(3);
        assertThat(failures).as("still leading").isEmpty();

        // Failover: a new leader on its own session takes the next epoch and replays the log.
        try (CuratorFramework other = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100))) {
            other.start();
            ZkCoordinatorStore next = new ZkCoordinatorStore(other, "/t");
            next.acquireEpoch();
            RecoveredJob job = next.load().stream().filter(j -> j.definition().jobId().equals(jobId)).findFirst().orElseThrow();
            assertThat(job.committed()).hasSize(shards);
            job.committed().forEach((task, value) -> {
                assertThat(value).hasSize(VALUE_BYTES);
                assertThat(value[0]).isEqualTo((byte) (int) task);
            });
        }
    }
}
