package io.drover.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.coordinator.core.Constraint;
import io.drover.coordinator.core.Dependency;
import io.drover.coordinator.core.Fact;
import io.drover.coordinator.core.JobState;
import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.core.Quota;
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
    void resultBlobReferencesSurviveTheStoreAndOlderBatchesReadWithout() {
        io.drover.coordinator.core.ResultBlob blob = new io.drover.coordinator.core.ResultBlob("d".repeat(64), 123_456_789L);
        List<Fact> facts = List.of(
                new Fact.TaskCommitted("j1", 0, 11, new byte[0], 1, blob),
                new Fact.TaskCommitted("j1", 1, 12, new byte[] {4}, 1),
                new Fact.JobEnded("j1", JobState.SUCCEEDED, null, new byte[0], 99, blob));

        List<Fact> back = FactCodec.decode(FactCodec.encode(facts));

        assertThat(back).hasSize(3);
        assertThat(back).filteredOn(f -> f instanceof Fact.TaskCommitted c && c.task() == 0)
                .singleElement().satisfies(f -> assertThat(((Fact.TaskCommitted) f).blob()).isEqualTo(blob));
        assertThat(back).filteredOn(f -> f instanceof Fact.TaskCommitted c && c.task() == 1)
                .singleElement().satisfies(f -> assertThat(((Fact.TaskCommitted) f).blob()).isNull());
        assertThat(back).filteredOn(f -> f instanceof Fact.JobEnded).singleElement()
                .satisfies(f -> assertThat(((Fact.JobEnded) f).resultBlob()).isEqualTo(blob));

        // Version 8 wrote a job end without the trailing blob flag.
        byte[] current = FactCodec.encode(List.of(new Fact.JobEnded("j1", JobState.SUCCEEDED, null, new byte[] {1}, 99)));
        byte[] v8 = Arrays.copyOf(current, current.length - 1);
        v8[0] = 8;
        Fact.JobEnded old = (Fact.JobEnded) FactCodec.decode(v8).get(0);
        assertThat(old.resultBlob()).isNull();
        assertThat(old.result()).containsExactly(1);
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
                .hasMessageContaining("version 99").hasMessageContaining("1..10");
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
    void placementConstraintsAndSpreadSurviveTheStoreWithoutAVersionBump() {
        JobDefinition d = def(0).withPlacement(List.of(
                new Constraint("gpu", Constraint.Op.IN, List.of("a100", "h100")),
                new Constraint("site", Constraint.Op.NE, List.of("edge-3")),
                new Constraint("ssd", Constraint.Op.EXISTS, List.of())), "site");

        byte[] bytes = FactCodec.encode(List.of(new Fact.JobAccepted(d)));
        List<Fact> back = FactCodec.decode(bytes);

        byte plainVersion = FactCodec.encode(List.of(new Fact.JobAccepted(def(0))))[0];
        assertThat(bytes[0]).as("the same batch version as without placement").isEqualTo(plainVersion);
        assertThat(back).containsExactly(new Fact.JobAccepted(d));
        assertThat(((Fact.JobAccepted) back.get(0)).definition().constraints()).hasSize(3);
        assertThat(((Fact.JobAccepted) back.get(0)).definition().spreadLabel()).isEqualTo("site");
    }

    @Test
    void theBackupSettingSurvivesTheStoreAsATagOnlyWhenItDiffersFromTheKindsDefault() {
        JobDefinition jvmOff = def(0).withBackups(false);
        JobDefinition process = new JobDefinition("j2", "n", "o", "k2", "PROCESS", null, 0, null, List.of("true"), 2,
                List.of(), List.of(), 1, 3, 0, false, 0, Map.of(), 0, 5, 0);
        for (JobDefinition d : List.of(def(0), jvmOff, process, process.withBackups(true))) {
            byte[] bytes = FactCodec.encode(List.of(new Fact.JobAccepted(d)));
            assertThat(bytes[0]).isEqualTo(FactCodec.encode(List.of(new Fact.JobAccepted(def(0))))[0]);
            assertThat(FactCodec.decode(bytes)).as("%s backups=%s", d.kind(), d.backups()).containsExactly(new Fact.JobAccepted(d));
        }
        assertThat(def(0).backups()).as("JVM default").isTrue();
        assertThat(process.backups()).as("PROCESS default").isFalse();
        int plain = FactCodec.encode(List.of(new Fact.JobAccepted(def(0)))).length;
        assertThat(FactCodec.encode(List.of(new Fact.JobAccepted(jvmOff))).length).as("tagged").isGreaterThan(plain);
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
    void commitsThatStandTogetherTravelAsARunAndReadBackAsTheSameCommits() {
        List<Fact> facts = new java.util.ArrayList<>();
        facts.add(new Fact.JobAccepted(def(0)));
        for (int task = 999; task >= 0; task--) { // any order: a run is sorted by task
            facts.add(new Fact.TaskCommitted("j1", task, (7L << 40) + 5_000 - task, task % 3 == 0 ? new byte[0]
                    : new byte[] {(byte) task}, 1 + task % 2));
        }
        facts.add(new Fact.TaskCommitted("j2", 4, -1, null, 0));
        facts.add(new Fact.TaskCommitted("j2", 5, 12, new byte[] {9}, 1));
        facts.add(new Fact.AgentHeard("a"));

        byte[] bytes = FactCodec.encode(facts);
        List<Fact> back = FactCodec.decode(bytes);

        assertThat(bytes.length).as("about 5 bytes a task, not ~35").isLessThan(8_000);
        assertThat(back).hasSize(facts.size());
        assertThat(back.get(0)).isEqualTo(facts.get(0));
        assertThat(back.get(back.size() - 1)).isEqualTo(new Fact.AgentHeard("a"));
        for (int task = 0; task < 1000; task++) {
            Fact.TaskCommitted c = (Fact.TaskCommitted) back.get(1 + task);
            assertThat(c.jobId()).isEqualTo("j1");
            assertThat(c.task()).isEqualTo(task);
            assertThat(c.attemptId()).isEqualTo((7L << 40) + 5_000 - task);
            assertThat(c.attempts()).isEqualTo(1 + task % 2);
            assertThat(c.value()).isEqualTo(task % 3 == 0 ? new byte[0] : new byte[] {(byte) task});
        }
        Fact.TaskCommitted noValue = (Fact.TaskCommitted) back.get(1001);
        assertThat(noValue.task()).isEqualTo(4);
        assertThat(noValue.attemptId()).isEqualTo(-1);
        assertThat(noValue.value()).isNull();
        assertThat(((Fact.TaskCommitted) back.get(1002)).value()).containsExactly(9);
    }

    @Test
    void runsNeverCrossAnotherFactAndTwoCommitsOfOneTaskKeepTheirOrder() {
        List<Fact> facts = List.of(
                new Fact.TaskCommitted("j1", 2, 20, new byte[] {2}, 1),
                new Fact.TaskCommitted("j1", 1, 10, new byte[] {1}, 1),
                new Fact.JobEnded("j1", io.drover.coordinator.core.JobState.SUCCEEDED, null, null, 5),
                new Fact.TaskCommitted("j1", 3, 31, new byte[] {31}, 1),
                new Fact.TaskCommitted("j1", 3, 32, new byte[] {32}, 2));

        List<Fact> back = FactCodec.decode(FactCodec.encode(facts));

        assertThat(back).extracting(f -> f instanceof Fact.TaskCommitted c ? c.jobId() + "/" + c.task() + "@" + c.attemptId()
                : f.getClass().getSimpleName()).containsExactly("j1/1@10", "j1/2@20", "JobEnded", "j1/3@31", "j1/3@32");
    }

    @Test
    void aCorruptRunIsRefusedNotAllocated() {
        byte[] bytes = FactCodec.encode(List.of(new Fact.TaskCommitted("j1", 1, 10, new byte[0], 1),
                new Fact.TaskCommitted("j1", 2, 11, new byte[0], 1)));
        // header (5), tag (1), job id (2 + 2): the run's count follows
        java.nio.ByteBuffer.wrap(bytes).putInt(5 + 1 + 4, Integer.MAX_VALUE);
        assertThatThrownBy(() -> FactCodec.decode(bytes)).isInstanceOf(StoreException.class).hasMessageContaining("claims");
    }

    @Test
    void versionSixBatchesWithOneRecordPerCommitStillRead() {
        // Version 6 had no runs: every commit a record of its own, as a single commit is still written.
        byte[] v6 = FactCodec.encode(List.of(new Fact.TaskCommitted("j1", 0, 77, new byte[] {1}, 3)));
        v6[0] = 6;
        Fact.TaskCommitted c = (Fact.TaskCommitted) FactCodec.decode(v6).get(0);
        assertThat(c.task()).isZero();
        assertThat(c.attemptId()).isEqualTo(77);
        assertThat(c.attempts()).isEqualTo(3);
        assertThat(c.value()).containsExactly(1);
    }

    @Test
    void dependenciesAndSkippedEndsSurviveTheStoreAndVersionSevenBatchesStillRead() {
        JobDefinition dependant = def(0).withDependencies(List.of(
                new Dependency("j0", Dependency.Condition.SUCCEEDED), new Dependency("j00", Dependency.Condition.FINISHED)),
                Dependency.UpstreamFailure.SKIP);
        List<Fact> facts = List.of(new Fact.JobAccepted(dependant),
                new Fact.JobEnded("j1", JobState.SKIPPED, "upstream job j0 ended FAILED", null, 9));
        byte[] bytes = FactCodec.encode(facts);
        assertThat((int) bytes[0]).isGreaterThanOrEqualTo(FactCodec.FIRST_VERSION_WITH_DEPENDENCIES);
        assertThat(FactCodec.decode(bytes)).isEqualTo(facts);

        byte[] v7 = FactCodec.encode(List.of(new Fact.JobAccepted(def(0))));
        v7[0] = 7;
        JobDefinition read = ((Fact.JobAccepted) FactCodec.decode(v7).get(0)).definition();
        assertThat(read.dependencies()).isEmpty();
        assertThat(read.onUpstreamFailure()).isEqualTo(Dependency.UpstreamFailure.FAIL);
    }

    @Test
    void quotasSurviveTheStoreUnderVersionNineAndVersionEightBatchesStillRead() {
        List<Fact> facts = List.of(new Fact.QuotaSet(new Quota("alice", 4, 3)),
                new Fact.QuotaSet(new Quota(Quota.DEFAULT_OWNER, Quota.NO_CAP, 1)), new Fact.QuotaRemoved("bob"));
        byte[] bytes = FactCodec.encode(facts);
        assertThat((int) bytes[0]).isGreaterThanOrEqualTo(9); // 10 since result blobs: quota facts unchanged
        assertThat(FactCodec.decode(bytes)).isEqualTo(facts);
        bytes[0] = 9;
        assertThat(FactCodec.decode(bytes)).as("as version 9 wrote them").isEqualTo(facts);

        byte[] v8 = FactCodec.encode(List.of(new Fact.AgentHeard("a")));
        v8[0] = 8;
        assertThat(FactCodec.decode(v8)).containsExactly(new Fact.AgentHeard("a"));
    }

    @Test
    void aQuotaWithValuesNoQuotaTakesIsRefusedAsCorrupt() {
        byte[] bytes = FactCodec.encode(List.of(new Fact.QuotaSet(new Quota("alice", 4, 3))));
        bytes[bytes.length - 1] = 0; // weight 0
        assertThatThrownBy(() -> FactCodec.decode(bytes)).isInstanceOf(StoreException.class)
                .hasMessageContaining("quota").hasMessageContaining("weight");
    }
}
