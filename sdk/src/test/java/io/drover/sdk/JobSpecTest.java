package io.drover.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobSpecTest {

    @Test
    void namesEveryBadFieldInOneMessage() {
        assertThatThrownBy(() -> JobSpec.process(List.of("true")).shards(0).maxAttempts(0).slotsPerTask(0).build())
                .isInstanceOf(InvalidJobException.class)
                .hasMessage("invalid job spec: shards must be 1..1000000, was 0; slotsPerTask must be 1..1024, was 0; "
                        + "maxAttempts must be 1..100, was 0");
    }

    @Test
    void aJvmJobNeedsAnEntryClassAndAnExistingJar() {
        assertThatThrownBy(() -> JobSpec.jvm(Path.of("/no/such.jar"), "").build())
                .hasMessage("invalid job spec: entryClass is required for a JVM job; jobJar /no/such.jar is not a readable file");
        assertThatThrownBy(() -> JobSpec.jvmArtifact("ABC", "x.Y").build())
                .hasMessage("invalid job spec: artifactSha256 must be 64 lowercase hex characters");
    }

    @Test
    void aProcessJobNeedsACommand() {
        assertThatThrownBy(() -> JobSpec.process(List.of()).build())
                .hasMessageContaining("command must not be empty for a process job");
    }

    @Test
    void shardParametersSetTheShardCountAndAreBounded() {
        JobSpec spec = JobSpec.process(List.of("run")).shards(99).shardParameters(List.of("a", "b")).build();
        assertThat(spec.shardCount()).isEqualTo(2);

        String tooLong = String.join("", Collections.nCopies(JobSpec.MAX_PARAMETER_BYTES + 1, "x"));
        assertThatThrownBy(() -> JobSpec.process(List.of("run")).shardParameters(List.of("ok", tooLong)).build())
                .hasMessageContaining("shardParameters[1] is longer than 4096");
    }

    @Test
    void environmentIsForProcessJobsAndLeavesDroverVariablesToTheAgent() {
        assertThatThrownBy(() -> JobSpec.process(List.of("x")).environment(java.util.Map.of("DROVER_SHARD_INDEX", "1", "2X", "")).build())
                .hasMessageContaining("DROVER_SHARD_INDEX is reserved").hasMessageContaining("'2X'");
        assertThatThrownBy(() -> JobSpec.jvmArtifact("a".repeat(64), "x.Job").workingDirectory("/tmp").build())
                .hasMessageContaining("process jobs only");
    }

    @Test
    void rejectsNegativeTimeoutAndMemory() {
        assertThatThrownBy(() -> JobSpec.process(List.of("run")).taskTimeout(Duration.ofSeconds(-1)).memoryMb(-1).build())
                .hasMessage("invalid job spec: taskTimeout must not be negative; memoryMb must not be negative");
    }

    @Test
    void aDisconnectOverrideIsKeptWithinItsBounds() {
        assertThat(JobSpec.process(List.of("run")).build().lostAfter()).isEmpty();
        assertThat(JobSpec.process(List.of("run")).lostAfter(Duration.ofHours(2)).build().lostAfter()).contains(Duration.ofHours(2));
        assertThatThrownBy(() -> JobSpec.process(List.of("run")).lostAfter(Duration.ofMillis(10)).build())
                .hasMessage("invalid job spec: lostAfter must be 1s..30d, was PT0.01S");
    }

    @Test
    void isolationDefaultsToWorkerAndInAgentIsForJvmJobsOnly() {
        assertThat(JobSpec.jvmArtifact("a".repeat(64), "x.Job").build().isolation()).isEqualTo(Isolation.WORKER);
        assertThat(JobSpec.jvmArtifact("a".repeat(64), "x.Job").isolation(Isolation.IN_AGENT).build().isolation())
                .isEqualTo(Isolation.IN_AGENT);
        assertThatThrownBy(() -> JobSpec.process(List.of("run")).isolation(Isolation.IN_AGENT).build())
                .hasMessage("invalid job spec: isolation IN_AGENT applies to JVM jobs only");
    }

    @Test
    void aBuiltSpecIsNotChangedByLaterBuilderCalls() {
        JobSpec.Builder builder = JobSpec.process(List.of("run")).name("first");
        JobSpec spec = builder.build();
        builder.name("second").shards(5);

        assertThat(spec.name()).isEqualTo("first");
        assertThat(spec.shardCount()).isEqualTo(1);
        assertThat(spec.idempotencyKey()).isNotBlank();
    }
}
