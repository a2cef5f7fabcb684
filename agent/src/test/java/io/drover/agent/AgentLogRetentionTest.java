package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.testing.AgentHarness;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.TaskResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent applies log retention as it starts: output left by an earlier run past the age goes. */
class AgentLogRetentionTest {
    @TempDir
    Path workDir;

    @Test
    void outputOlderThanTheRetentionAgeIsRemovedAtStartAndNewOutputIsKept() throws IOException, InterruptedException {
        Path old = workDir.resolve("tasks/old-job/0/attempt-1.stdout");
        Path recent = workDir.resolve("tasks/old-job/1/attempt-2.stdout");
        Files.createDirectories(old.getParent());
        Files.createDirectories(recent.getParent());
        Files.writeString(old, "from last month\n");
        Files.writeString(recent, "from yesterday\n");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
        Files.setLastModifiedTime(recent, FileTime.from(Instant.now().minus(Duration.ofDays(1))));

        try (AgentHarness h = AgentHarness.start(workDir, 1, AgentLimits.DEFAULTS.withLogRetention(1 << 20, Duration.ofDays(7)))) {
            await().atMost(AgentHarness.WAIT).until(() -> !Files.exists(old));
            assertThat(old.getParent()).as("its empty task directory went too").doesNotExist();
            assertThat(recent).exists();

            h.coordinator.addProcessJob("fresh", List.of("/bin/sh", "-c", "echo hi"), 1, 0, List.of());
            long attempt = h.coordinator.assign(AgentHarness.AGENT_ID, "fresh", 0, null);
            TaskResult r = h.awaitResult(attempt);
            assertThat(r.getOutcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(workDir.resolve("tasks/fresh/0/attempt-" + attempt + ".stdout")).hasContent("hi");
        }
    }
}
