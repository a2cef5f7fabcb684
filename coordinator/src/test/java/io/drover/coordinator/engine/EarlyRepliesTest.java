package io.drover.coordinator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.core.Effects;
import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.core.RecoveredState;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.core.Scheduler;
import io.drover.coordinator.core.SchedulerConfig;
import io.drover.coordinator.store.Epoch;
import io.drover.coordinator.store.StoreException;
import io.drover.coordinator.store.ZkCoordinatorStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * Answers that carry only work of durable jobs leave before the group commits in flight; acknowledgements and work
 * of jobs not yet durable wait for them. Proven on a real ZooKeeper store whose server is stopped, so the turn's commit cannot finish.
 */
class EarlyRepliesTest {
    private TestingServer server;
    private CuratorFramework zk;
    private CoreLoop loop;
    private final LoopMetrics metrics = new LoopMetrics();
    private final List<StoreException> failures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        zk = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        zk.start();
        ZkCoordinatorStore store = new ZkCoordinatorStore(zk, "/t");
        Epoch epoch = store.acquireEpoch();
        Clock clock = Clock.systemUTC();
        Scheduler core = new Scheduler(SchedulerConfig.defaults(), epoch.value(), new RecoveredState(List.of(), List.of()),
                clock.millis(), new Effects());
        loop = new CoreLoop(core, store, epoch, clock, 50, 1_000_000, metrics, failures::add);
        loop.start();
        ask(id -> new Event.RegisterAgent(id, loop.nowMs(), "agent", "host", 1, Map.of()));
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
        zk.close();
        server.close();
    }

    @Test
    void aPollGetsWorkOfADurableJobWhileAnotherAgentsResultsWaitForTheirCommit() throws Exception {
        ask(id -> new Event.RegisterAgent(id, loop.nowMs(), "other", "host", 1, Map.of()));
        String jobId = submit(3);
        Response.Assignment first = ((Response.HeartbeatAnswer) ask(id -> poll(id, "agent", 0, List.of()))).assignments().get(0);
        long earlyBefore = metrics.repliesEarly();

        server.stop(); // the report's commit can no longer become durable
        CompletableFuture<Response> report = loop.offer(id -> new Event.Heartbeat(id, loop.nowMs(), "agent",
                List.of(new Event.Report(first.attemptId(), jobId, first.task(), Event.Outcome.SUCCEEDED, new byte[] {1}, null)),
                List.of(), false, 0));
        Response.HeartbeatAnswer work = (Response.HeartbeatAnswer) loop.offer(id -> poll(id, "other", 0, List.of()))
                .get(10, TimeUnit.SECONDS);

        assertThat(work.assignments()).as("work of a durable job, sent while a commit is stuck").hasSize(1);
        assertThat(work.assignments().get(0).task()).isNotEqualTo(first.task());
        assertThat(report.isDone() && !report.isCompletedExceptionally())
                .as("a result is acknowledged only once durable").isFalse();
        assertThat(metrics.repliesEarly()).isGreaterThan(earlyBefore);
    }

    @Test
    void workOfAJobAcceptedInACommitNotYetDurableWaitsForIt() throws Exception {
        CompletableFuture<Response> parked = loop.offer(id -> poll(id, "agent", 30_000, List.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.parkedPolls() == 1);

        server.stop();
        CompletableFuture<Response> submit = loop.offer(id -> new Event.SubmitJob(id, loop.nowMs(), definition(2)));

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                !(parked.isDone() && !parked.isCompletedExceptionally()) && !(submit.isDone() && !submit.isCompletedExceptionally()));
    }

    private String submit(int shards) throws Exception {
        return ((Response.Submitted) ask(id -> new Event.SubmitJob(id, loop.nowMs(), definition(shards)))).jobId();
    }

    private static JobDefinition definition(int shards) {
        return new JobDefinition("pending", "early", "alice", "key-" + shards, "PROCESS", null, 0, null, List.of("/bin/true"),
                shards, List.of(), List.of(), 1, 1, 0, false, 0, Map.of(), 0, 0);
    }

    private Event poll(long id, String agent, long maxWaitMs, List<Event.RunningAttempt> running) {
        return new Event.Heartbeat(id, loop.nowMs(), agent, List.of(), running, false, maxWaitMs);
    }

    private Response ask(java.util.function.LongFunction<Event> event) throws Exception {
        return loop.offer(event).get(20, TimeUnit.SECONDS);
    }
}
