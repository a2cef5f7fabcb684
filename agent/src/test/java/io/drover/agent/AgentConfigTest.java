package io.drover.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.protocol.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
    private static final List<Endpoint> ONE = List.of(new Endpoint("127.0.0.1", 7420));
    private static final Path DIR = Path.of("work");

    @Test
    void fillsDefaults() {
        AgentConfig c = AgentConfig.of("a-1", "host", ONE, 4, Map.of("zone", "eu"), DIR);

        assertThat(c.pollWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.reportBatchWindow()).isEqualTo(Duration.ZERO);
        assertThat(c.withPollWait(Duration.ofSeconds(1)).pollWait()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void namesTheBadField() {
        assertThatThrownBy(() -> AgentConfig.of("has space", "host", ONE, 1, Map.of(), DIR)).hasMessageContaining("agentId");
        assertThatThrownBy(() -> AgentConfig.of("a", " ", ONE, 1, Map.of(), DIR)).hasMessageContaining("host");
        assertThatThrownBy(() -> AgentConfig.of("a", "h", List.of(), 1, Map.of(), DIR)).hasMessageContaining("coordinators");
        assertThatThrownBy(() -> AgentConfig.of("a", "h", ONE, 0, Map.of(), DIR)).hasMessageContaining("slots").hasMessageContaining("was 0");
        assertThatThrownBy(() -> AgentConfig.of("a", "h", ONE, 1, Map.of(" ", "x"), DIR)).hasMessageContaining("labels");
        assertThatThrownBy(() -> AgentConfig.of("a", "h", ONE, 1, Map.of(), null)).hasMessageContaining("workDir");
        AgentConfig ok = AgentConfig.of("a", "h", ONE, 1, Map.of(), DIR);
        assertThatThrownBy(() -> ok.withPollWait(Duration.ofMillis(5))).hasMessageContaining("pollWait");
        assertThatThrownBy(() -> ok.withReportBatchWindow(Duration.ofMillis(-1))).hasMessageContaining("reportBatchWindow");
    }

    @Test
    void copiesCollections() {
        java.util.HashMap<String, String> labels = new java.util.HashMap<>(Map.of("zone", "eu"));
        AgentConfig c = AgentConfig.of("a", "h", ONE, 1, labels, DIR);
        labels.put("zone", "us");

        assertThat(c.labels()).containsEntry("zone", "eu");
    }
}
