package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.testing.AgentHarness;
import io.drover.testkit.SettableClock;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent cut off from every coordinator, with the time in the test's hands: past its pool's
 * offline stop bound it stops its tasks and reports them CANCELLED when the link is back; without a
 * bound it keeps them running. Real Thrift on loopback; the "outage" is the coordinator refusing calls.
 */
class AgentOfflineStopTest {
    private static final List<String> FOREVER = List.of("/bin/sh", "-c", "while [ ! -e go ]; do sleep 0.02; done; echo done");

    @TempDir
    Path workDir;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-25T10:00:00Z"));

    /** Starts one never-ending task, then makes the coordinator unreachable; returns the attempt. */
    private long runThenCutOff(AgentHarness h) {
        h.coordinator.addProcessJob("long", FOREVER, 1, 0, List.of());
        long attempt = h.coordinator.assign(h.agentId, "long", 0, null);
        await().atMost(AgentHarness.WAIT).until(() -> h.coordinator.reportedRunning(h.agentId, attempt));
        h.coordinator.setUnavailable(true);
        int refusedBefore = h.coordinator.refusedCalls();
        // Once a heartbeat has been refused, no later one can have got through before the clock moves.
        await().atMost(AgentHarness.WAIT).until(() -> h.coordinator.refusedCalls() > refusedBefore);
        return attempt;
    }

    @Test
    void pastTheBoundTheCutOffAgentStopsItsTasksAndReportsThemCancelledWhenBack() throws Exception {
        try (AgentHarness h = AgentHarness.start("offline-agent", workDir, 1, clock)) {
            h.coordinator.setOfflineStopAfterMs(4 * 3_600_000L);
            await().atMost(AgentHarness.WAIT).until(() -> h.agent.offlineStopBound().equals(Duration.ofHours(4)));
            assertThat(Files.readString(workDir.resolve("offline-stop-after")).strip()).isEqualTo("14400000");
            long attempt = runThenCutOff(h);

            clock.advance(Duration.ofHours(3).plusMinutes(59));
            await().during(Duration.ofSeconds(2)).atMost(AgentHarness.WAIT).until(() -> h.agent.runningTasks() == 1);
            clock.advance(Duration.ofMinutes(2));
            await().atMost(AgentHarness.WAIT).until(() -> h.agent.runningTasks() == 0 && h.agent.pendingResults() == 1);

            h.coordinator.setUnavailable(false);
            TaskResult r = h.awaitResult(attempt);
            assertThat(r.getOutcome()).isEqualTo(Outcome.CANCELLED);
            assertThat(r.getError()).contains("reached no coordinator for").contains("offline stop bound of PT4H");
        }
    }

    @Test
    void neverToldABoundTheCutOffAgentKeepsRunningForDays() throws Exception {
        try (AgentHarness h = AgentHarness.start("steady-agent", workDir, 1, clock)) {
            long attempt = runThenCutOff(h);

            clock.advance(Duration.ofDays(3));
            await().during(Duration.ofSeconds(3)).atMost(AgentHarness.WAIT).until(() -> h.agent.runningTasks() == 1);

            h.coordinator.setUnavailable(false);
            Files.createFile(workDir.resolve("tasks/long/0/go"));
            TaskResult r = h.awaitResult(attempt);
            assertThat(r.getOutcome()).as(r.getError()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(h.agent.offlineStopBound()).isZero();
        }
    }
}
