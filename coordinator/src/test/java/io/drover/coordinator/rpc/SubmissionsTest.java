package io.drover.coordinator.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.secrets.SecretEnvironment;
import io.drover.coordinator.secrets.SecretSealer;
import io.drover.coordinator.secrets.TestSealer;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Process job settings are checked before the core sees them; the message names the field. */
class SubmissionsTest {
    private static JobSubmission process() {
        JobSubmission s = new JobSubmission("n", "o", "k", JobKind.PROCESS, 2, List.of(), 1, 1, 0, false, 0, Map.of(), 0);
        s.setCommand(List.of("/bin/true"));
        return s;
    }

    @Test
    void environmentAndWorkingDirectoryReachTheDefinition() {
        JobSubmission s = process();
        s.setEnvironment(Map.of("A", "1"));
        s.setWorkingDirectory("/data");

        JobDefinition d = Submissions.toDefinition(s, null, SecretSealer.unavailable());

        assertThat(d.environment()).containsExactly(Map.entry("A", "1"));
        assertThat(d.workingDirectory()).isEqualTo("/data");
    }

    @Test
    void reservedOrMalformedVariablesAreRefused() {
        JobSubmission s = process();
        Map<String, String> env = new HashMap<>();
        env.put("DROVER_SHARD_INDEX", "7");
        env.put("1BAD", "x");
        s.setEnvironment(env);

        assertThatThrownBy(() -> Submissions.toDefinition(s, null, SecretSealer.unavailable()))
                .hasMessageContaining("DROVER_SHARD_INDEX is reserved")
                .hasMessageContaining("'1BAD'");
    }

    @Test
    void aRelativeWorkingDirectoryMustNotLeaveTheTaskDirectory() {
        JobSubmission s = process();
        s.setWorkingDirectory("a/../../etc");

        assertThatThrownBy(() -> Submissions.toDefinition(s, null, SecretSealer.unavailable())).hasMessageContaining("workingDirectory");
    }

    @Test
    void environmentIsForProcessJobsOnly() {
        JobSubmission s = new JobSubmission("n", "o", "k", JobKind.JVM, 2, List.of(), 1, 1, 0, false, 0, Map.of(), 0);
        s.setEntryClass("x.Job");
        s.setArtifactSha256("not-a-hash");
        s.setEnvironment(Map.of("A", "1"));

        assertThatThrownBy(() -> Submissions.toDefinition(s, null, SecretSealer.unavailable())).hasMessageContaining("process jobs only");
    }

    @Test
    void secretValuesAreSealedBeforeTheDefinitionExistsAndOpenForTheAgent() {
        JobSubmission s = process();
        s.setEnvironment(Map.of("PLAIN", "visible"));
        s.setSecretEnvironment(Map.of("API_KEY", "hunter2-secret"));
        TestSealer sealer = new TestSealer();

        JobDefinition d = Submissions.toDefinition(s, null, sealer);

        assertThat(d.secretEnvironment()).containsOnlyKeys("API_KEY");
        assertThat(d.secretEnvironment().get("API_KEY")).startsWith("enc:v1:").doesNotContain("hunter2");
        assertThat(d.toString()).doesNotContain("hunter2");
        assertThat(WireMapper.descriptor(d, sealer).getEnvironment())
                .containsExactlyInAnyOrderEntriesOf(Map.of("PLAIN", "visible", "API_KEY", "hunter2-secret"));
        assertThat(SecretEnvironment.masked(d.secretEnvironment())).containsExactly(Map.entry("API_KEY", "***"));
        // a retry seals again with another nonce, and is still the same job
        assertThat(Submissions.toDefinition(s, null, sealer).sameSpecAs(d)).isTrue();
    }

    @Test
    void secretsAreRefusedWithoutAKeyAndNeverEchoed() {
        JobSubmission s = process();
        s.setSecretEnvironment(Map.of("API_KEY", "hunter2-secret"));

        assertThatThrownBy(() -> Submissions.toDefinition(s, null, SecretSealer.unavailable()))
                .hasMessageContaining("secretEnvironment").hasMessageContaining("--secrets-dir")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aSecretNameMayNotRepeatAPlainOneNorBeReserved() {
        JobSubmission s = process();
        s.setEnvironment(Map.of("TOKEN", "a"));
        s.setSecretEnvironment(Map.of("TOKEN", "hunter2", "DROVER_TOKEN", "hunter3"));

        assertThatThrownBy(() -> Submissions.toDefinition(s, null, new TestSealer()))
                .hasMessageContaining("TOKEN is in both environment and secretEnvironment")
                .hasMessageContaining("secret environment variable DROVER_TOKEN is reserved")
                .hasMessageNotContaining("hunter");
    }
}
