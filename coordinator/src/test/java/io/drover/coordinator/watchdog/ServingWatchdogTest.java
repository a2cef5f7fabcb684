package io.drover.coordinator.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The watchdog's decisions, on a fake clock with fake checks: no threads, no sleeping. */
class ServingWatchdogTest {
    private static final long BOUND_MS = 10_000;

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final AtomicLong turns = new AtomicLong();
    private final AtomicLong steps = new AtomicLong();
    private final AtomicBoolean leading = new AtomicBoolean(true);
    private final AtomicBoolean portAnswers = new AtomicBoolean(true);
    private final List<String> actions = new ArrayList<>();

    private ServingWatchdog watchdog() {
        Map<String, ServingWatchdog.Check> checks = new LinkedHashMap<>();
        checks.put("core loop", new CoreLoopCheck(leading::get, turns::get, steps::get));
        checks.put("rpc port", () -> portAnswers.get() ? null : "hello timed out");
        return new ServingWatchdog(clock::get, checks, BOUND_MS, () -> actions.add("step down"),
                (code, why) -> actions.add("exit " + code + " " + why));
    }

    /** One second passes, the loop turning {@code turnsPerSecond} times, then a check. */
    private boolean second(ServingWatchdog w, int turnsPerSecond) {
        clock.addAndGet(1_000);
        turns.addAndGet(turnsPerSecond);
        return w.checkOnce();
    }

    @Test
    void aHealthyCoordinatorIsLeftAlone() {
        ServingWatchdog w = watchdog();
        for (int i = 0; i < 120; i++) {
            assertThat(second(w, 20)).isFalse();
        }
        assertThat(actions).isEmpty();
    }

    @Test
    void aStuckCoreLoopStepsDownThenExitsAfterTheBound() {
        ServingWatchdog w = watchdog();
        second(w, 20);
        int seconds = 0;
        while (!second(w, 0)) {
            seconds++;
            assertThat(seconds).as("fired within the bound").isLessThanOrEqualTo(12);
        }
        assertThat(seconds).as("not before the bound").isGreaterThanOrEqualTo(9);
        assertThat(actions).hasSize(2);
        assertThat(actions.get(0)).isEqualTo("step down");
        assertThat(actions.get(1)).startsWith("exit " + ServingWatchdog.EXIT_CODE).contains("core loop");
        assertThat(second(w, 0)).as("fires once").isTrue();
        assertThat(actions).hasSize(2);
    }

    @Test
    void aLongCompactionThatKeepsWritingIsLeftAlone() {
        ServingWatchdog w = watchdog();
        second(w, 20);
        for (int i = 0; i < 60; i++) { // one turn of a minute, a piece of the snapshot written each second
            steps.incrementAndGet();
            assertThat(second(w, 0)).isFalse();
        }
        assertThat(actions).isEmpty();
    }

    @Test
    void aCompactionStuckPartWayStepsDownAfterTheBound() {
        ServingWatchdog w = watchdog();
        second(w, 20);
        for (int i = 0; i < 5; i++) {
            steps.incrementAndGet();
            assertThat(second(w, 0)).isFalse();
        }
        int seconds = 0;
        while (!second(w, 0)) {
            seconds++;
            assertThat(seconds).as("fired within the bound").isLessThanOrEqualTo(12);
        }
        assertThat(seconds).as("not before the bound").isGreaterThanOrEqualTo(9);
        assertThat(actions.get(1)).contains("core loop").contains("5 steps of long work");
    }

    @Test
    void aDeafPortStepsDownEvenWithAHealthyLoop() {
        ServingWatchdog w = watchdog();
        portAnswers.set(false);
        boolean fired = false;
        for (int i = 0; i < 12 && !fired; i++) {
            fired = second(w, 20);
        }
        assertThat(fired).isTrue();
        assertThat(actions.get(1)).contains("rpc port: hello timed out");
    }

    @Test
    void shortOutagesDoNotAddUp() {
        ServingWatchdog w = watchdog();
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 8; i++) {
                assertThat(second(w, 0)).isFalse();
            }
            assertThat(second(w, 20)).isFalse();
        }
        assertThat(actions).isEmpty();
    }

    @Test
    void aStandbyHasNoLoopToCheck() {
        leading.set(false);
        ServingWatchdog w = watchdog();
        for (int i = 0; i < 30; i++) {
            assertThat(second(w, 0)).isFalse();
        }
        assertThat(actions).isEmpty();
    }

    @Test
    void theSelfProbeFailsWhenNothingAnswers() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(new RpcSelfProbe("127.0.0.1", port, 500).failure()).contains("hello to 127.0.0.1:" + port);
    }

    @Test
    void theSelfProbeFailsWhenTheAcceptedConnectionIsNeverAnswered() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            assertThat(new RpcSelfProbe("127.0.0.1", silent.getLocalPort(), 300).failure()).isNotNull();
        }
    }
}
