package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.testing.AgentHarness;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.TaskResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Captured output: per-attempt files, the cap per stream and its truncation marker. */
class ProcessOutputTest {
    private static final String AGENT = AgentHarness.AGENT_ID;
    private static final long CAP = 1000;

    @TempDir
    Path workDir;
    private AgentHarness h;

    @BeforeEach
    void start() throws InterruptedException {
        h = AgentHarness.start(workDir, 2, AgentLimits.DEFAULTS.withLogCapBytes(CAP));
    }

    @AfterEach
    void stop() throws InterruptedException {
        h.close();
    }

    @Test
    void outputBeyondTheCapIsDroppedAndMarked() throws IOException {
        h.coordinator.addProcessJob("loud", List.of("/bin/sh", "-c", "head -c 50000 /dev/zero | tr '\\0' a; echo small >&2"),
                1, 0, List.of());
        long attempt = h.coordinator.assign(AGENT, "loud", 0, null);

        TaskResult r = h.awaitResult(attempt);

        assertThat(r.getOutcome()).as(r.getError()).isEqualTo(Outcome.SUCCEEDED);
        Path stdout = workDir.resolve("tasks/loud/0/attempt-" + attempt + ".stdout");
        assertThat(Files.size(stdout)).isEqualTo(CAP);
        assertThat(Files.readString(stdout)).matches("a{" + CAP + "}");
        assertThat(r.getValue()).hasSize((int) CAP);
        assertThat(Files.readString(Path.of(stdout + ".truncated"))).contains("capped at 1000 bytes", "49000 later bytes were dropped");
        Path stderr = workDir.resolve("tasks/loud/0/attempt-" + attempt + ".stderr");
        assertThat(Files.readString(stderr)).isEqualTo("small\n");
        assertThat(Path.of(stderr + ".truncated")).doesNotExist();
    }

    @Test
    void eachAttemptHasItsOwnFiles() throws IOException {
        h.coordinator.addProcessJob("twice", List.of("/bin/sh", "-c", "echo $DROVER_ATTEMPT_ID"), 1, 0, List.of());
        long first = h.coordinator.assign(AGENT, "twice", 0, null);
        h.awaitResult(first);
        long second = h.coordinator.assign(AGENT, "twice", 0, null);
        h.awaitResult(second);

        assertThat(Files.readString(workDir.resolve("tasks/twice/0/attempt-" + first + ".stdout"))).isEqualTo(first + "\n");
        assertThat(Files.readString(workDir.resolve("tasks/twice/0/attempt-" + second + ".stdout"))).isEqualTo(second + "\n");
    }
}
