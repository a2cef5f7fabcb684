package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.watchdog.ServingWatchdog;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A leader whose port dies keeps its ZooKeeper session; the watchdog must make it give way. */
class WatchdogStepDownTest {
    private TestingServer zk;
    private CoordinatorServer coordinator;
    private final List<Integer> exits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0)
                .withSessionTimeout(Duration.ofSeconds(3)).withStepDownAfter(Duration.ofSeconds(3)), Clock.systemUTC())
                .onCannotServe((code, why) -> exits.add(code))
                .start();
        await().atMost(Duration.ofSeconds(20)).until(coordinator::isLeader);
    }

    @AfterEach
    void stop() throws Exception {
        coordinator.close();
        zk.close();
    }

    @Test
    void aLeaderWhosePortDiesStepsDownAndExits() {
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> exits.isEmpty() && coordinator.isLeader());

        coordinator.transport().stop();

        await().atMost(Duration.ofSeconds(10)).until(() -> !exits.isEmpty());
        assertThat(exits).containsExactly(ServingWatchdog.EXIT_CODE);
        assertThat(coordinator.isLeader()).as("the latch is released").isFalse();
    }
}
