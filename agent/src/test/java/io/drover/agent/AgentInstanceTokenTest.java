package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The work dir's instance token: the same across restarts in place, a new one in a copy of the
 * work dir (another path or another host), so the coordinator can tell the copy from the original.
 */
class AgentInstanceTokenTest {
    @TempDir
    Path tmp;

    @Test
    void aRestartInPlaceKeepsItsToken() {
        Path work = tmp.resolve("agent");
        String first = AgentIdFile.instanceId(work, "node7");

        assertThat(first).matches("[0-9a-f]{32}");
        assertThat(AgentIdFile.instanceId(work, "node7")).isEqualTo(first);
    }

    @Test
    void aCopiedWorkDirGetsATokenOfItsOwnAndTheOriginalKeepsIts() throws IOException {
        Path original = tmp.resolve("agent");
        String token = AgentIdFile.instanceId(original, "node7");
        Path copy = Files.createDirectories(tmp.resolve("copy"));
        Files.copy(original.resolve(AgentIdFile.INSTANCE), copy.resolve(AgentIdFile.INSTANCE));

        String copied = AgentIdFile.instanceId(copy, "node7");

        assertThat(copied).isNotEqualTo(token);
        assertThat(AgentIdFile.instanceId(copy, "node7")).as("stable from now on").isEqualTo(copied);
        assertThat(AgentIdFile.instanceId(original, "node7")).isEqualTo(token);
    }

    @Test
    void theSameWorkDirOnAnotherHostIsACopy() {
        Path work = tmp.resolve("agent");
        String onNode7 = AgentIdFile.instanceId(work, "node7");

        assertThat(AgentIdFile.instanceId(work, "node8")).isNotEqualTo(onNode7);
    }

    @Test
    void aTokenWrittenWithoutItsOriginIsKeptAndGetsOne() throws IOException {
        Path work = Files.createDirectories(tmp.resolve("agent"));
        Files.writeString(work.resolve(AgentIdFile.INSTANCE), "0123456789abcdef0123456789abcdef\n");

        assertThat(AgentIdFile.instanceId(work, "node7")).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(Files.readString(work.resolve(AgentIdFile.INSTANCE))).contains(work.toAbsolutePath().toString());
        assertThat(AgentIdFile.instanceId(work, "node7")).isEqualTo("0123456789abcdef0123456789abcdef");
    }
}
