package io.drover.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.AgentView;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.JobView;
import io.drover.testkit.FakeClientService;
import io.drover.testkit.LoopbackServer;
import io.drover.testkit.TestJars;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DroverClient against a real Thrift server on loopback serving a fake coordinator. */
class DroverClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private final FakeClientService leader = FakeClientService.leader();
    private LoopbackServer leaderServer;
    private DroverClient client;

    @BeforeEach
    void start() {
        leaderServer = LoopbackServer.start(leader);
        client = clientFor(leaderServer.endpoint());
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.close();
        leaderServer.close();
    }

    private static DroverClient clientFor(String endpoints) {
        return DroverClient.builder().endpoints(endpoints).clientName("test")
                .retryDeadline(Duration.ofSeconds(5)).build();
    }

    @Test
    void uploadsAJarInChunksAndSkipsItWhenAlreadyStored() throws Exception {
        byte[] content = randomBytes(2 * WireLimits.ARTIFACT_CHUNK_BYTES + 1234);
        Path jar = write("job.jar", content);

        String sha = client.uploadArtifact(jar);

        assertThat(sha).isEqualTo(sha256(content));
        assertThat(leader.artifact(sha)).isEqualTo(content);
        assertThat(leader.chunkOffsets()).containsExactly(0L, (long) WireLimits.ARTIFACT_CHUNK_BYTES,
                2L * WireLimits.ARTIFACT_CHUNK_BYTES);

        assertThat(client.uploadArtifact(jar)).isEqualTo(sha);
        assertThat(leader.chunkOffsets()).hasSize(3);
    }

    @Test
    void resumesAnInterruptedUploadWhereTheCoordinatorLeftOff() throws Exception {
        byte[] content = randomBytes(WireLimits.ARTIFACT_CHUNK_BYTES + 100);
        Path jar = write("job.jar", content);
        leader.seedPartialUpload(sha256(content), Arrays.copyOf(content, 1000));

        String sha = client.uploadArtifact(jar);

        assertThat(leader.chunkOffsets()).containsExactly(1000L);
        assertThat(leader.artifact(sha)).isEqualTo(content);
    }

    @Test
    void aChunkWhoseReplyWasLostIsNotAppendedTwice() throws Exception {
        byte[] content = randomBytes(3 * WireLimits.ARTIFACT_CHUNK_BYTES);
        Path jar = write("job.jar", content);
        leader.loseReplyAfterNextChunk();

        String sha = client.uploadArtifact(jar);

        assertThat(leader.artifact(sha)).isEqualTo(content);
        assertThat(leader.chunkOffsets()).containsExactly(0L, (long) WireLimits.ARTIFACT_CHUNK_BYTES,
                2L * WireLimits.ARTIFACT_CHUNK_BYTES);
    }

    @Test
    void submitUploadsTheJarAndSendsTheWholeSpec() throws Exception {
        Path jar = TestJars.write(tmp.resolve("job.jar"), example.jobs.Good.class);
        JobSpec spec = JobSpec.jvm(jar, "example.jobs.Good").name("pi").shards(8)
                .arguments("100000").reduce(true).maxAttempts(2).priority(5).taskTimeout(Duration.ofSeconds(30))
                .requiredLabels(Map.of("zone", "eu")).idempotencyKey("key-1").build();

        JobHandle handle = client.submit(spec);

        assertThat(handle.jobId()).isEqualTo("job-1");
        JobSubmission sent = leader.submissions().get(0);
        assertThat(sent.getKind()).isEqualTo(JobKind.JVM);
        assertThat(sent.getArtifactSha256()).isEqualTo(sha256(Files.readAllBytes(jar)));
        assertThat(sent.getEntryClass()).isEqualTo("example.jobs.Good");
        assertThat(sent.getShardCount()).isEqualTo(8);
        assertThat(sent.getJobArguments()).containsExactly("100000");
        assertThat(sent.isReduce()).isTrue();
        assertThat(sent.getTaskTimeoutMs()).isEqualTo(30_000);
        assertThat(sent.getRequiredLabels()).containsEntry("zone", "eu");
        assertThat(sent.getIdempotencyKey()).isEqualTo("key-1");
    }

    @Test
    void resubmittingWithTheSameIdempotencyKeyReturnsTheSameJob() {
        JobSpec spec = JobSpec.process(List.of("/bin/true")).shards(2).idempotencyKey("same").build();

        JobHandle first = client.submit(spec);
        JobHandle second = client.submit(spec);

        assertThat(second.jobId()).isEqualTo(first.jobId());
        assertThat(leader.submissions()).hasSize(1);
    }

    @Test
    void awaitsTheJobAndDecodesItsResult() {
        leader.script("j1", FakeClientService.view("j1", "RUNNING", 4), FakeClientService.view("j1", "REDUCING", 5),
                FakeClientService.withResult(FakeClientService.view("j1", "SUCCEEDED", 5),
                        Codecs.int64Array().encode(new long[] {785, 1000})));
        List<JobState> seen = new java.util.ArrayList<>();

        JobStatus done = client.job("j1").await(WAIT, s -> seen.add(s.state()));
        long[] result = client.job("j1").result(WAIT, Codecs.int64Array());

        assertThat(seen).containsExactly(JobState.RUNNING, JobState.REDUCING, JobState.SUCCEEDED);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(result).containsExactly(785, 1000);
    }

    @Test
    void awaitReportsProgressOnlyWhenItChangesAndTheEndOnce() {
        JobView quarter = FakeClientService.view("j5", "RUNNING", 4);
        quarter.setSucceeded(1);
        quarter.setPending(3);
        JobView half = FakeClientService.view("j5", "RUNNING", 4);
        half.setSucceeded(2);
        half.setPending(2);
        leader.script("j5", quarter, quarter.deepCopy(), quarter.deepCopy(), half, half.deepCopy(),
                FakeClientService.view("j5", "SUCCEEDED", 4));
        List<Integer> seen = new java.util.ArrayList<>();

        JobStatus done = client.job("j5").await(WAIT, s -> seen.add(s.succeeded()));

        assertThat(seen).containsExactly(1, 2, 4);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void decodesTheResultWithTheCodecTheJobDeclared() {
        JobView v = FakeClientService.withResult(FakeClientService.view("j6", "SUCCEEDED", 1), Codecs.int64().encode(148_933L));
        v.setResultCodec("int64");
        JobView own = FakeClientService.withResult(FakeClientService.view("j7", "SUCCEEDED", 1), new byte[] {1, 2});
        own.setResultCodec("com.example.PointCodec");
        leader.script("j6", v);
        leader.script("j7", own);

        assertThat(client.job("j6").status().resultCodec()).contains("int64");
        assertThat(client.job("j6").result(WAIT)).isEqualTo(148_933L);
        assertThatThrownBy(() -> client.job("j7").result(WAIT)).isInstanceOf(DroverException.class)
                .hasMessageContaining("its own result codec 'com.example.PointCodec'");
        assertThat(client.job("j7").result(WAIT, Codecs.bytes())).containsExactly(1, 2);
    }

    @Test
    void decodesShardResultsInShardOrder() {
        JobView v = FakeClientService.view("j2", "SUCCEEDED", 3);
        v.setShardResults(List.of(ByteBuffer.wrap(Codecs.utf8().encode("a")),
                ByteBuffer.wrap(Codecs.utf8().encode("b")), ByteBuffer.wrap(Codecs.utf8().encode("c"))));
        leader.script("j2", v);

        assertThat(client.job("j2").shardResults(WAIT, Codecs.utf8())).containsExactly("a", "b", "c");
        assertThatThrownBy(() -> client.job("j2").result(WAIT, Codecs.utf8()))
                .isInstanceOf(DroverException.class).hasMessageContaining("use shardResults");
    }

    @Test
    void aFailedJobThrowsJobFailedExceptionWithItsError() {
        JobView failed = FakeClientService.view("j3", "FAILED", 2);
        failed.setError("shard 1: boom");
        leader.script("j3", failed);

        assertThatThrownBy(() -> client.job("j3").result(WAIT, Codecs.utf8()))
                .isInstanceOf(JobFailedException.class).hasMessage("job j3 FAILED: shard 1: boom");
    }

    @Test
    void awaitGivesUpAfterItsTimeoutLeavingTheJobRunning() {
        leader.script("j4", FakeClientService.view("j4", "RUNNING", 2));

        assertThatThrownBy(() -> client.job("j4").await(Duration.ofMillis(50)))
                .isInstanceOfSatisfying(DroverTimeoutException.class,
                        e -> assertThat(e.lastStatus()).get().extracting(JobStatus::state).isEqualTo(JobState.RUNNING));
    }

    @Test
    void followsANotLeaderRedirectFromAStandby() throws Exception {
        FakeClientService standby = FakeClientService.follower(leaderServer.endpoint());
        try (LoopbackServer standbyServer = LoopbackServer.start(standby);
             DroverClient viaStandby = clientFor(standbyServer.endpoint())) {
            JobHandle handle = viaStandby.submit(JobSpec.process(List.of("echo", "hi")).build());

            assertThat(handle.jobId()).isEqualTo("job-1");
            assertThat(leader.submissions()).hasSize(1);
            assertThat(standby.calls()).isZero();
        }
    }

    @Test
    void standbysWhoseHintsPointAtEachOtherEndInUnavailableAtTheDeadline() throws Exception {
        java.net.ServerSocket socketA = LoopbackServer.bindLoopback();
        java.net.ServerSocket socketB = LoopbackServer.bindLoopback();
        try (LoopbackServer a = LoopbackServer.start(FakeClientService.follower(LoopbackServer.endpoint(socketB)), socketA);
             LoopbackServer b = LoopbackServer.start(FakeClientService.follower(a.endpoint()), socketB);
             DroverClient viaB = DroverClient.builder().endpoints(b.endpoint())
                     .retryDeadline(Duration.ofMillis(300)).build()) {
            assertThatThrownBy(viaB::agents).isInstanceOf(CoordinatorUnavailableException.class)
                    .hasMessageContaining("no leading coordinator answered among [" + b.endpoint() + "]");
        }
    }

    @Test
    void anInvalidRequestBecomesInvalidJobExceptionWithTheServersMessage() {
        leader.rejectSubmitsWith("requiredLabels: key 'zone ' has trailing space");

        assertThatThrownBy(() -> client.submit(JobSpec.process(List.of("true")).build()))
                .isInstanceOf(InvalidJobException.class)
                .hasMessage("requiredLabels: key 'zone ' has trailing space");
        assertThatThrownBy(() -> client.job("nope").status())
                .isInstanceOf(InvalidJobException.class).hasMessage("unknown job nope");
    }

    @Test
    void cancelsListsAndDrains() {
        JobHandle handle = client.submit(JobSpec.process(List.of("sleep", "100")).build());
        AgentView agent = new AgentView("a1", "host1", "ALIVE", 4, 1, 1_700_000_000_000L, Map.of("zone", "eu"), 7);
        leader.addAgent(agent);

        assertThat(handle.cancel().state()).isEqualTo(JobState.CANCELLED);
        assertThat(client.jobs(10)).extracting(JobStatus::jobId).containsExactly(handle.jobId());
        assertThat(client.agents()).singleElement().satisfies(a -> {
            assertThat(a.agentId()).isEqualTo("a1");
            assertThat(a.labels()).containsEntry("zone", "eu");
        });
        assertThat(client.drain("a1", true).state()).isEqualTo("DRAINING");
        assertThat(client.drain("a1", false).state()).isEqualTo("ALIVE");
    }

    @Test
    void builderNamesTheBadSetting() {
        assertThatThrownBy(() -> DroverClient.builder().build()).hasMessageStartingWith("endpoints must be given");
        assertThatThrownBy(() -> DroverClient.connect("localhost")).hasMessageContaining("not host:port");
        assertThatThrownBy(() -> DroverClient.builder().endpoints("h:1").callTimeout(Duration.ZERO).build())
                .hasMessageStartingWith("callTimeout must be");
        assertThatThrownBy(() -> DroverClient.builder().endpoints("h:1").retryDeadline(Duration.ofSeconds(-1)).build())
                .hasMessageStartingWith("retryDeadline must be");
    }

    @Test
    void aBlankQuotaOwnerIsRefusedBeforeAnyCall() {
        // No coordinator listens there: a check made inside the call would retry until the deadline instead.
        try (DroverClient c = DroverClient.builder().endpoints("127.0.0.1:1").retryDeadline(Duration.ofMinutes(5)).build()) {
            assertThatThrownBy(() -> c.removeQuota(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owner");
        }
    }

    private Path write(String name, byte[] content) throws Exception {
        return Files.write(tmp.resolve(name), content);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
