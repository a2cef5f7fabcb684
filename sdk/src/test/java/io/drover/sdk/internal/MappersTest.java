package io.drover.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.sdk.AgentStatus;
import io.drover.sdk.DroverException;
import io.drover.sdk.Isolation;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import io.drover.protocol.thrift.AgentView;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.JvmIsolation;
import io.drover.protocol.thrift.JobView;
import io.drover.protocol.thrift.TaskView;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MappersTest {
    private static final String SHA = "a".repeat(64);

    @Test
    void mapsAProcessSpecWithShardParameters() {
        JobSpec spec = JobSpec.process(List.of("python3", "sweep.py")).name("sweep").owner("ana")
                .shardParameters(List.of("0.5", "1.5")).arguments("--fast").slotsPerTask(2).maxAttempts(4)
                .taskTimeout(Duration.ofMinutes(1)).priority(-1).memoryMb(512).idempotencyKey("k").build();

        JobSubmission s = Mappers.toSubmission(spec, null);

        assertThat(s.getKind()).isEqualTo(JobKind.PROCESS);
        assertThat(s.getCommand()).containsExactly("python3", "sweep.py");
        assertThat(s.isSetArtifactSha256()).isFalse();
        assertThat(s.getShardCount()).isEqualTo(2);
        assertThat(s.getShardParameters()).containsExactly("0.5", "1.5");
        assertThat(s.getJobArguments()).containsExactly("--fast");
        assertThat(s.getSlotsPerTask()).isEqualTo(2);
        assertThat(s.getMaxAttempts()).isEqualTo(4);
        assertThat(s.getTaskTimeoutMs()).isEqualTo(60_000);
        assertThat(s.getPriority()).isEqualTo(-1);
        assertThat(s.getMemoryMb()).isEqualTo(512);
        assertThat(s.getOwner()).isEqualTo("ana");
        assertThat(s.getIdempotencyKey()).isEqualTo("k");
    }

    @Test
    void aProcessSpecCarriesItsEnvironmentAndWorkingDirectory() {
        JobSpec spec = JobSpec.process(List.of("./run.sh")).environment(Map.of("MODE", "fast"))
                .workingDirectory("/data/project").build();

        JobSubmission s = Mappers.toSubmission(spec, null);

        assertThat(s.getEnvironment()).containsExactly(Map.entry("MODE", "fast"));
        assertThat(s.getWorkingDirectory()).isEqualTo("/data/project");
        assertThat(Mappers.toSubmission(JobSpec.process(List.of("x")).build(), null).isSetEnvironment()).isFalse();
    }

    @Test
    void aJvmSpecCarriesItsArtifactAndNoShardParameterList() {
        JobSubmission s = Mappers.toSubmission(JobSpec.jvmArtifact(SHA, "x.Job").shards(3).build(), null);

        assertThat(s.getKind()).isEqualTo(JobKind.JVM);
        assertThat(s.getArtifactSha256()).isEqualTo(SHA);
        assertThat(s.getEntryClass()).isEqualTo("x.Job");
        assertThat(s.isSetShardParameters()).isFalse();
        assertThat(s.getShardCount()).isEqualTo(3);
        assertThat(s.isSetLostAfterMs()).as("the pool's policy applies").isFalse();
        assertThat(s.getIsolation()).isEqualTo(JvmIsolation.WORKER);
    }

    @Test
    void inAgentIsolationIsSentForJvmJobsOnly() {
        JobSubmission s = Mappers.toSubmission(JobSpec.jvmArtifact(SHA, "x.Job").isolation(Isolation.IN_AGENT).build(), null);
        assertThat(s.getIsolation()).isEqualTo(JvmIsolation.IN_AGENT);
        assertThat(Mappers.toSubmission(JobSpec.process(List.of("true")).build(), null).isSetIsolation()).isFalse();
    }

    @Test
    void aJobsDisconnectOverrideIsSent() {
        JobSubmission s = Mappers.toSubmission(JobSpec.jvmArtifact(SHA, "x.Job").lostAfter(Duration.ofHours(2)).build(), null);
        assertThat(s.getLostAfterMs()).isEqualTo(7_200_000);
    }

    @Test
    void aSilentAgentsSilencePoolAndPendingActionAreMapped() {
        AgentView v = new AgentView("edge-1", "h", "SUSPECT", 4, 3, 42, Map.of("pool", "edge"), 9);
        v.setSilentForMs(252_000);
        v.setPool("edge");
        v.setPendingAction("3 attempts left alone until LOST in 1h55m, then re-run elsewhere");

        AgentStatus a = Mappers.toAgentStatus(v);

        assertThat(a.silentFor()).contains(Duration.ofSeconds(252));
        assertThat(a.pool()).contains("edge");
        assertThat(a.pendingAction()).contains("3 attempts left alone until LOST in 1h55m, then re-run elsewhere");
    }

    @Test
    void mapsAJobViewWithTasksAndResult() {
        JobView v = new JobView();
        v.setJobId("j").setName("n").setOwner("o").setState("SUCCEEDED").setTotalTasks(3).setSucceeded(3)
                .setSubmittedAtMs(1000).setFinishedAtMs(5000).setReduce(true)
                .setResult(ByteBuffer.wrap(new byte[] {7}))
                .setTasks(List.of(new TaskView(0, "SUCCEEDED", 2).setAgentId("a1")));

        JobStatus s = Mappers.toJobStatus(v);

        assertThat(s.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(s.progress()).isEqualTo(1.0);
        assertThat(s.submittedAt()).isEqualTo(Instant.ofEpochMilli(1000));
        assertThat(s.finishedAt()).contains(Instant.ofEpochMilli(5000));
        assertThat(s.resultBytes()).get().isEqualTo(new byte[] {7});
        assertThat(s.error()).isNull();
        assertThat(s.tasks()).singleElement().satisfies(t -> {
            assertThat(t.attempts()).isEqualTo(2);
            assertThat(t.agentId()).contains("a1");
            assertThat(t.error()).isEmpty();
        });
    }

    @Test
    void anUnknownJobStateIsAnErrorNotADefault() {
        JobView v = new JobView().setJobId("j").setState("PAUSED");
        assertThatThrownBy(() -> Mappers.toJobStatus(v))
                .isInstanceOf(DroverException.class).hasMessageContaining("unknown state 'PAUSED'");
    }

    @Test
    void mapsShardResultsAndAgents() {
        JobView v = new JobView().setShardResults(List.of(ByteBuffer.wrap(new byte[] {1}), ByteBuffer.wrap(new byte[] {2, 3})));
        assertThat(Mappers.shardResults(v)).get().satisfies(list -> {
            assertThat(list.get(0)).containsExactly(1);
            assertThat(list.get(1)).containsExactly(2, 3);
        });
        assertThat(Mappers.shardResults(new JobView())).isEmpty();

        AgentStatus a = Mappers.toAgentStatus(new AgentView("a", "h", "SUSPECT", 8, 2, 42, Map.of("gpu", "1"), 9));
        assertThat(a).isEqualTo(new AgentStatus("a", "h", "SUSPECT", 8, 2, Instant.ofEpochMilli(42), Map.of("gpu", "1"), 9));
    }
}
