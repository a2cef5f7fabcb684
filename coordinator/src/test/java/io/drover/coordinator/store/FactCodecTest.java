package io.drover.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.coordinator.core.Dependency;
import io.drover.coordinator.core.Fact;
import io.drover.coordinator.core.JobState;
import io.drover.coordinator.core.JobDefinition;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactCodecTest {
    private static JobDefinition def(long lostAfterMs) {
        return new JobDefinition("j1", "n", "o", "k", "JVM", "ab", 1, "x.Job", List.of(), 2, List.of(), List.of("a"),
                1, 3, 0, false, 0, Map.of("pool", "edge"), 0, 5, lostAfterMs);
    }

    @Test
    void aJobsDisconnectOverrideSurvivesTheStore() {
        List<Fact> back = FactCodec.decode(FactCodec.encode(List.of(new Fact.JobAccepted(def(7_200_000)))));
        assertThat(((Fact.JobAccepted) back.get(0)).definition()).isEqualTo(def(7_200_000));
    }

    @Test
    void silenceFactsRoundTrip() {
        List<Fact> facts = List.of(
                new Fact.AgentSilent("edge-1", 1234, List.of(new Fact.HeldAttempt(99, "j1", 0), new Fact.HeldAttempt(100, "j1", 1))),
                new Fact.AgentHeard("edge-1"));
        assertThat(FactCodec.decode(FactCodec.encode(facts))).isEqualTo(facts);
    }

    @Test
    void aJobsIsolationSurvivesTheStore() {
        JobDefinition inAgent = def(0).withIsolation(JobDefinition.IN_AGENT);
        List<Fact> back = FactCodec.decode(FactCodec.encode(List.of(new Fact.JobAccepted(inAgent))));
        assertThat(((Fact.JobAccepted) back.get(0)).definition().isolation()).isEqualTo(JobDefinition.IN_AGENT);
    }

    /** The isolation is written with writeUTF: a two-byte length and the ASCII name. */
    private static final int ISOLATION_BYTES = 2 + JobDefinition.WORKER.length();
    /** The extension section that ends a definition since version 4, here empty: its count. */
    private static final int EMPTY_EXTENSIONS_BYTES = Integer.BYTES;

    @Test
    void batchesWrittenByVersionTwoAreReadWithWorkerIsolation() {
        byte[] current = FactCodec.encode(List.of(new Fact.JobAccepted(def(7_200_000))));
        byte[] v2 = Arrays.copyOf(current, current.length - ISOLATION_BYTES - EMPTY_EXTENSIONS_BYTES);
        v2[0] = 2;

        JobDefinition read = ((Fact.JobAccepted) FactCodec.decode(v2).get(0)).definition();

        assertThat(read).isEqualTo(def(7_200_000));
        assertThat(read.isolation()).isEqualTo(JobDefinition.WORKER);
    }

    @Test
    void batchesWrittenByTheFirstVersionAreStillRead() {
        // A version-1 batch: the same bytes without the trailing override and isolation, under version byte 1.
        byte[] current = FactCodec.encode(List.of(new Fact.JobAccepted(def(0))));
        byte[] v1 = Arrays.copyOf(current, current.length - Long.BYTES - ISOLATION_BYTES - EMPTY_EXTENSIONS_BYTES);
        v1[0] = 1;

        JobDefinition read = ((Fact.JobAccepted) FactCodec.decode(v1).get(0)).definition();

        assertThat(read).isEqualTo(def(0));
        assertThat(read.lostAfterMs()).as("the pool's policy").isZero();
    }

    @Test
    void aBatchFromANewerReleaseIsRefusedWithTheVersions() {
        byte[] bytes = FactCodec.encode(List.of(new Fact.AgentHeard("a")));
        bytes[0] = 99;
        assertThatThrownBy(() -> FactCodec.decode(bytes)).isInstanceOf(StoreException.class)
                .hasMessageContaining("version 99").hasMessageContaining("1..7");
    }

    private static JobDefinition processJob(Map<String, String> environment, String workingDirectory) {
        return new JobDefinition("j1", "n", "o", "k", "PROCESS", null, 0, null, List.of("/bin/echo", "hi"), 3, List.of(),
                List.of("a"), 1, 2, 0, false, 0, Map.of("zone", "eu"), 0, 5, 60_000, JobDefinition.WORKER, environment,
                workingDirectory);
    }

    @Test
    void processEnvironmentAndWorkingDirectorySurviveTheStore() {
        JobDefinition d = processJob(Map.of("GREETING", "hello", "EMPTY", ""), "/data/project");

        List<Fact> back = FactCodec.decode(FactCodec.encode(List.of(new Fact.JobAccepted(d))));

        assertThat(back).containsExactly(new Fact.JobAccepted(d));
    }

    @Test
    void sealedSecretsSurviveTheStoreUnderTheirOwnTag() {
        JobDefinition plain = processJob(Map.of("GREETING", "hello"), null);
        JobDefinition d = new JobDefinition(plain.jobId(), plain.name(), plain.owner(), plain.idempotencyKey(), plain.kind(),
                null, 0, null, plain.command(), plain.shardCount(), List.of(), plain.arguments(), 1, 2, 0, false, 0,
                plain.requiredLabels(), 0, 5, 60_000, JobDefinition.WORKER, plain.environment(), null,
                Map.of("API_KEY", "enc:v1:bm9uY2V8Y2lwaGVydGV4dA=="));

        List<Fact> back = FactCodec.decode(FactCodec.encode(List.of(new Fact.JobAccepted(d))));

        assertThat(back).containsExactly(new Fact.JobAccepted(d));
        assertThat(((Fact.JobAccepted) back.get(0)).definition().environment()).containsOnlyKeys("GREETING");
    }

    @Test
    void versionThreeBatchesAreReadWithoutExtensions() {
        byte[] v4 = FactCodec.encode(List.of(new Fact.JobAccepted(processJob(Map.of(), null))));
        byte[] v3 = Arrays.copyOf(v4, v4.length - EMPTY_EXTENSIONS_BYTES);
        v3[0] = 3;

        assertThat(FactCodec.decode(v3)).containsExactly(new Fact.JobAccepted(processJob(Map.of(), null)));
    }

    @Test
    void attemptCountsAndRetriesSurviveTheStore() {
        List<Fact> back = FactCodec.decode(FactCodec.encode(List.of(
                new Fact.TaskCommitted("j1", 0, 77, new byte[] {1, 2}, 3),
                new Fact.TaskFailed("j1", 1, "poison", 10),
                new Fact.TaskRetried("j1", 2, 78, 2, 123_456, "FAILED: flaky"),
                new Fact.TaskRetried("j1", 3, 79, 1, 5, null))));

        Fact.TaskCommitted c = (Fact.TaskCommitted) back.get(0);
        assertThat(c.attempts()).isEqualTo(3);
        assertThat(c.value()).containsExactly(1, 2);
        assertThat(c.attemptId()).isEqualTo(77);
        assertThat(back.get(1)).isEqualTo(new Fact.TaskFailed("j1", 1, "poison", 10));
        assertThat(back.subList(2, 4)).containsExactly(new Fact.TaskRetried("j1", 2, 78, 2, 123_456, "FAILED: flaky"),
                new Fact.TaskRetried("j1", 3, 79, 1, 5, null));
    }

    @Test
    void outcomesWrittenBeforeCountsWereDurableAreReadWithNone() {
        // Version 4 wrote commits and failures without the trailing count.
        byte[] commit = FactCodec.encode(List.of(new Fact.TaskCommitted("j1", 0, 77, new byte[] {1}, 3)));
        byte[] v4commit = Arrays.copyOf(commit, commit.length - Integer.BYTES);
        v4commit[0] = 4;
        byte[] failure = FactCodec.encode(List.of(new Fact.TaskFailed("j1", 1, "poison", 10)));
        byte[] v4failure = Arrays.copyOf(failure, failure.length - Integer.BYTES);
        v4failure[0] = 4;

        Fact.TaskCommitted c = (Fact.TaskCommitted) FactCodec.decode(v4commit).get(0);
        assertThat(c.attempts()).isZero();
        assertThat(c.value()).containsExactly(1);
        assertThat(FactCodec.decode(v4failure)).containsExactly(new Fact.TaskFailed("j1", 1, "poison"));
    }

    @Test
    void aJobsResultCodecSurvivesTheStoreAndVersionFiveBatchesStillRead() {
        List<Fact> facts = List.of(new Fact.JobResultCodec("j1", "int64"), new Fact.AgentHeard("a"));
        assertThat(FactCodec.decode(FactCodec.encode(facts))).isEqualTo(facts);

        byte[] v5 = FactCodec.encode(List.of(new Fact.AgentHeard("a")));
        v5[0] = 5;
        assertThat(FactCodec.decode(v5)).containsExactly(new Fact.AgentHeard("a"));
    }

    @Test
    void dependenciesAndSkippedEndsSurviveTheStoreAndVersionSixBatchesStillRead() {
        JobDefinition dependant = def(0).withDependencies(List.of(
                new Dependency("j0", Dependency.Condition.SUCCEEDED), new Dependency("j00", Dependency.Condition.FINISHED)),
                Dependency.UpstreamFailure.SKIP);
        List<Fact> facts = List.of(new Fact.JobAccepted(dependant),
                new Fact.JobEnded("j1", JobState.SKIPPED, "upstream job j0 ended FAILED", null, 9));
        byte[] bytes = FactCodec.encode(facts);
        assertThat(bytes[0]).isEqualTo((byte) FactCodec.FIRST_VERSION_WITH_DEPENDENCIES);
        assertThat(FactCodec.decode(bytes)).isEqualTo(facts);

        byte[] v6 = FactCodec.encode(List.of(new Fact.JobAccepted(def(0))));
        v6[0] = 6;
        JobDefinition read = ((Fact.JobAccepted) FactCodec.decode(v6).get(0)).definition();
        assertThat(read.dependencies()).isEmpty();
        assertThat(read.onUpstreamFailure()).isEqualTo(Dependency.UpstreamFailure.FAIL);
    }
}
