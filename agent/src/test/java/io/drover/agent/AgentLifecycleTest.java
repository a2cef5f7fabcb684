package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import io.drover.agent.testing.AgentHarness;
import io.drover.agent.testing.TestJars;
import io.drover.agent.testjobs.BlockingJob;
import io.drover.agent.testjobs.SquareJob;
import io.drover.protocol.Endpoint;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.TaskResult;
import io.drover.protocol.thrift.droverConstants;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration, re-registration, start/close semantics, and that close leaves nothing running. */
class AgentLifecycleTest {
    @TempDir
    Path workDir;

    @Test
    void registersItsIdentity() throws InterruptedException {
        try (AgentHarness h = AgentHarness.start("reg-agent", workDir, 3)) {
            AgentRegistration r = h.coordinator.registrations().get(0);

            assertThat(r.getAgentId()).isEqualTo("reg-agent");
            assertThat(r.getSlots()).isEqualTo(3);
            assertThat(r.getLabels()).containsExactlyEntriesOf(Map.of("zone", "test"));
            assertThat(r.getProtocolVersion()).isEqualTo(droverConstants.PROTOCOL_VERSION);
            assertThat(h.agent.coordinator()).contains(h.server.endpoint().toString());
        }
    }

    @Test
    void registersAgainWhenTheCoordinatorHasForgottenIt() throws InterruptedException {
        try (AgentHarness h = AgentHarness.start("forgotten-agent", workDir, 1)) {
            String jar = h.coordinator.putArtifact(TestJars.ofPackage(SquareJob.class));
            h.coordinator.addJvmJob("squares", jar, SquareJob.class.getName(), 3, 0, List.of());

            h.coordinator.forgetAgents();
            await().atMost(AgentHarness.WAIT).until(() -> h.coordinator.registrations().size() == 2);
            TaskResult r = h.awaitResult(h.coordinator.assign("forgotten-agent", "squares", 2, null));

            assertThat(r.getOutcome()).as(r.getError()).isEqualTo(Outcome.SUCCEEDED);
        }
    }

    @Test
    void taskFinishingDuringACoordinatorOutageIsDeliveredAfterIt() throws IOException, InterruptedException {
        try (AgentHarness h = AgentHarness.start("edge-agent", workDir, 1)) {
            h.coordinator.addProcessJob("gated", List.of("/bin/sh", "-c", "while [ ! -e go ]; do sleep 0.02; done; echo done"),
                    1, 0, List.of());
            long attempt = h.coordinator.assign("edge-agent", "gated", 0, null);
            await().atMost(AgentHarness.WAIT).until(() -> h.coordinator.reportedRunning("edge-agent", attempt));

            h.coordinator.setUnavailable(true);
            Files.createFile(workDir.resolve("tasks/gated/0/go"));
            await().atMost(AgentHarness.WAIT).until(() -> h.agent.pendingResults() == 1 && h.coordinator.refusedCalls() > 0);
            assertThat(h.coordinator.result(attempt)).isEmpty();
            h.coordinator.setUnavailable(false);

            TaskResult r = h.awaitResult(attempt);
            assertThat(r.getOutcome()).as(r.getError()).isEqualTo(Outcome.SUCCEEDED);
            await().atMost(AgentHarness.WAIT).until(() -> h.agent.pendingResults() == 0);
        }
    }

    @Test
    void drainFlagReachesTheCoordinatorAtOnceAndRidesEveryHeartbeat() throws InterruptedException {
        try (AgentHarness h = AgentHarness.start("draining-agent", workDir, 1)) {
            await().atMost(AgentHarness.WAIT).until(() -> h.coordinator.lastDrainingFlag("draining-agent", true), Optional::isPresent);
            assertThat(h.coordinator.lastDrainingFlag("draining-agent", true)).contains(false);
            assertThat(h.coordinator.lastDrainingFlag("draining-agent", false)).as("no results, no report yet").isEmpty();

            h.agent.drain(true);

            // Announced by an immediate heartbeat (there are no results to report), then carried by the polls.
            await().atMost(AgentHarness.WAIT).until(() -> h.coordinator.lastDrainingFlag("draining-agent", false), Optional.of(true)::equals);
            await().atMost(AgentHarness.WAIT).until(() -> h.coordinator.lastDrainingFlag("draining-agent", true), Optional.of(true)::equals);
            assertThat(h.agent.draining()).isTrue();

            h.agent.drain(false);

            await().atMost(AgentHarness.WAIT).until(() -> h.coordinator.lastDrainingFlag("draining-agent", false), Optional.of(false)::equals);
            await().atMost(AgentHarness.WAIT).until(() -> h.coordinator.lastDrainingFlag("draining-agent", true), Optional.of(false)::equals);
        }
    }

    @Test
    void closeStopsRunningTasksReportsThemAndLeavesNoThreads() throws InterruptedException {
        AgentHarness h = AgentHarness.start("closing-agent", workDir, 2);
        try {
            String jar = h.coordinator.putArtifact(TestJars.ofPackage(SquareJob.class));
            h.coordinator.addJvmJob("blocking", jar, BlockingJob.class.getName(), 1, 0, List.of());
            long attempt = h.coordinator.assign("closing-agent", "blocking", 0, null);
            await().atMost(AgentHarness.WAIT).until(() -> h.agent.taskCounts().started() == 1);

            assertTimeout(Duration.ofSeconds(10), h.agent::close);

            TaskResult r = h.coordinator.result(attempt).orElseThrow(() -> new AssertionError("stopped task not reported"));
            assertThat(r.getOutcome()).as("given back, not failed").isEqualTo(Outcome.CANCELLED);
            assertThat(r.getError()).contains("closing-agent shut down");
            await().atMost(AgentHarness.WAIT).until(() -> agentThreads("closing-agent"), Set::isEmpty);
        } finally {
            h.close();
        }
    }

    @Test
    void startsOnceAndClosesAnyNumberOfTimes() throws InterruptedException {
        AgentHarness h = AgentHarness.start("once-agent", workDir, 1);
        h.close();

        assertThatThrownBy(h.agent::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("once-agent");
        h.agent.close();
    }

    @Test
    void closesPromptlyWhenNoCoordinatorAnswers() throws IOException, InterruptedException {
        Endpoint nobody;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = new Endpoint(socket.getInetAddress().getHostAddress(), socket.getLocalPort());
        }
        Agent agent = new Agent(AgentConfig.of("lonely-agent", "localhost", List.of(nobody), 1, Map.of(), workDir));
        agent.start();

        assertThat(agent.awaitRegistered(Duration.ofMillis(200))).isFalse();
        assertTimeout(Duration.ofSeconds(10), agent::close);
        await().atMost(AgentHarness.WAIT).until(() -> agentThreads("lonely-agent"), Set::isEmpty);
    }

    @Test
    void closeBeforeStartIsHarmless() {
        Agent agent = new Agent(AgentConfig.of("idle-agent", "localhost", List.of(new Endpoint("127.0.0.1", 1)), 1, Map.of(), workDir));

        agent.close();

        assertThat(agentThreads("idle-agent")).isEmpty();
    }

    private static Set<String> agentThreads(String agentId) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("drover-" + agentId + "-"))
                .collect(java.util.stream.Collectors.toSet());
    }
}
