package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.agent.testing.AgentHarness;
import io.drover.protocol.Endpoint;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.TaskResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an agent keeps across a restart on the same work dir: its unacknowledged results (invariant 5). */
class AgentRestartTest {
    @TempDir
    Path workDir;

    @Test
    void resultHeldWhenTheAgentStoppedIsDeliveredByTheNextAgentOnTheSameWorkDir() throws IOException, InterruptedException {
        long attempt;
        try (AgentHarness first = AgentHarness.start("restart-agent", workDir, 1)) {
            first.coordinator.addProcessJob("gated", List.of("/bin/sh", "-c", "while [ ! -e go ]; do sleep 0.02; done; echo held"),
                    1, 0, List.of());
            attempt = first.coordinator.assign("restart-agent", "gated", 0, null);
            await().atMost(AgentHarness.WAIT).until(() -> first.coordinator.reportedRunning("restart-agent", attempt));
            // reported as soon as accepted; its directory exists once the process is being started
            await().atMost(AgentHarness.WAIT).until(() -> Files.isDirectory(workDir.resolve("tasks/gated/0")));

            first.coordinator.setUnavailable(true); // the result finishes while nobody can acknowledge it
            Files.createFile(workDir.resolve("tasks/gated/0/go"));
            await().atMost(AgentHarness.WAIT).until(() -> first.agent.pendingResults() == 1);
            first.close();
            assertThat(first.coordinator.result(attempt)).isEmpty();
        }

        try (AgentHarness second = AgentHarness.start("restart-agent", workDir, 1)) {
            TaskResult r = second.awaitResult(attempt);

            assertThat(r.getOutcome()).as(r.getError()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(new String(r.getValue(), StandardCharsets.UTF_8)).isEqualTo("held\n");
            assertThat(second.agent.taskCounts().started()).as("delivered from the journal, not run again").isZero();
            await().atMost(AgentHarness.WAIT).until(() -> second.agent.pendingResults() == 0);
        }
    }

    @Test
    void aHeldResultStoredAsABlobIsDeliveredByTheNextAgentAsTheSameReference() throws IOException, InterruptedException {
        long attempt;
        io.drover.protocol.thrift.ResultBlobRef stored;
        try (AgentHarness first = AgentHarness.start("blob-restart-agent", workDir, 1)) {
            first.coordinator.withholdAcks(Integer.MAX_VALUE); // reported, never acknowledged: held in the journal
            first.coordinator.addProcessJob("big", List.of("/bin/sh", "-c", "yes big | head -c 300000 > \"$DROVER_RESULT_FILE\""),
                    1, 0, List.of());
            attempt = first.coordinator.assign("blob-restart-agent", "big", 0, null);
            TaskResult reported = first.awaitResult(attempt);
            assertThat(reported.getOutcome()).as(reported.getError()).isEqualTo(Outcome.SUCCEEDED);
            stored = reported.getResultBlob();
            assertThat(stored.getSize()).isEqualTo(300_000);
            assertThat(first.coordinator.resultBlob(stored.getSha256())).isPresent();
            assertThat(first.agent.pendingResults()).isEqualTo(1);
        }

        try (AgentHarness second = AgentHarness.start("blob-restart-agent", workDir, 1)) {
            TaskResult r = second.awaitResult(attempt);

            assertThat(r.getOutcome()).as(r.getError()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(r.isSetValue()).isFalse();
            assertThat(r.getResultBlob()).isEqualTo(stored);
            assertThat(second.agent.taskCounts().started()).as("delivered from the journal, not run again").isZero();
            await().atMost(AgentHarness.WAIT).until(() -> second.agent.pendingResults() == 0);
        }
    }

    @Test
    void agentStoresItsIdSoARestartWithoutAnIdKeepsIt() throws IOException, InterruptedException {
        AgentHarness.start("kept-agent", workDir, 1).close();

        assertThat(AgentIdFile.read(workDir)).as("what a restart without --id uses").contains("kept-agent");

        AgentHarness.start("renamed-agent", workDir, 1).close(); // an explicit --id wins and is stored
        assertThat(Files.readString(workDir.resolve("agent-id")).strip()).isEqualTo("renamed-agent");
    }

    @Test
    void aRestartRegistersWithTheSameInstanceTokenAndAnotherWorkDirWithAnother(@TempDir Path otherDir)
            throws InterruptedException {
        String first;
        try (AgentHarness agent = AgentHarness.start("token-agent", workDir, 1)) {
            first = agent.coordinator.registrations().get(0).getInstanceId();
        }
        assertThat(first).matches("[0-9a-f]{32}");
        try (AgentHarness restarted = AgentHarness.start("token-agent", workDir, 1)) {
            assertThat(restarted.coordinator.registrations().get(0).getInstanceId()).as("kept in the work dir").isEqualTo(first);
        }
        try (AgentHarness other = AgentHarness.start("token-agent", otherDir, 1)) {
            assertThat(other.coordinator.registrations().get(0).getInstanceId()).isNotEqualTo(first);
        }
    }

    @Test
    void twoAgentsCannotShareAWorkDir() throws InterruptedException {
        try (AgentHarness running = AgentHarness.start("owner-agent", workDir, 1)) {
            AgentConfig sameDir = AgentConfig.of("intruder-agent", "localhost", List.of(Endpoint.parse(running.server.endpoint())), 1,
                    Map.of(), workDir);

            assertThatThrownBy(() -> new Agent(sameDir)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("intruder-agent").hasMessageContaining("in use");
        }
    }
}
