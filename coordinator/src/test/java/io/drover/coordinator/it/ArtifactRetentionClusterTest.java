package io.drover.coordinator.it;

import static io.drover.coordinator.it.CoordinatorClusterTest.submission;
import static io.drover.coordinator.it.CoordinatorClusterTest.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.Endpoint;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.ArtifactStatus;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.MisfirePolicy;
import io.drover.protocol.thrift.OverlapPolicy;
import io.drover.protocol.thrift.ScheduleSpec;
import io.drover.protocol.thrift.StoreStats;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The leader removes abandoned uploads and artifacts nothing refers to; real ZooKeeper, real sockets. */
class ArtifactRetentionClusterTest {
    private static final int CHUNK = WireLimits.ARTIFACT_CHUNK_BYTES;
    private static final Duration EXPIRY = Duration.ofSeconds(2);
    private TestingServer zk;
    private CuratorFramework inspect;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void startZooKeeper() throws Exception {
        zk = new TestingServer(true);
        inspect = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
        inspect.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        inspect.close();
        zk.close();
    }

    @Test
    void anUploadLeftOneChunkShortExpiresAndStartsAfresh() throws Exception {
        CoordinatorServer a = coordinator();
        await().until(a::isLeader);
        CoordinatorConnection<ClientService.Client> client = connect(a);
        byte[] jar = bytes(2 * CHUNK + 100, 1);
        String sha = sha(jar);

        ArtifactStatus st = sendAllButLastChunk(client, jar, sha);
        assertThat(st.getBytesReceived()).isEqualTo(2L * CHUNK);
        assertThat(znode(sha)).as("just written, not yet expired").isTrue();

        await().atMost(Duration.ofSeconds(20)).until(() -> !znode(sha));
        assertThat(client.call(c -> c.beginUpload(sha, jar.length)).getBytesReceived())
                .as("a fresh upload starts from the beginning").isZero();
    }

    @Test
    void completeArtifactsNothingRefersToAreCollectedAfterTheGraceAndReferencedOnesKept() throws Exception {
        CoordinatorServer a = coordinator();
        await().until(a::isLeader);
        CoordinatorConnection<ClientService.Client> client = connect(a);
        String orphan = upload(client, bytes(1000, 2));
        String ofJob = upload(client, bytes(1000, 3));
        String ofSchedule = upload(client, bytes(1000, 4));
        client.call(c -> c.submit(submission(ofJob, 1, "job-key")));
        client.call(c -> c.addSchedule(new ScheduleSpec("yearly", "0 0 0 1 1 ?", "UTC",
                submission(ofSchedule, 1, "ignored"), MisfirePolicy.SKIP, 1, OverlapPolicy.ALLOW, true)));
        assertThat(znode(orphan)).as("within its grace an unreferenced artifact is kept").isTrue();

        await().atMost(Duration.ofSeconds(20)).until(() -> !znode(orphan));
        // Uploaded together with the orphan, so past their grace by now too: kept only because referenced.
        await().during(EXPIRY).atMost(EXPIRY.multipliedBy(3)).until(() -> znode(ofJob) && znode(ofSchedule));
        assertThat(client.call(c -> c.beginUpload(ofJob, 1000)).isComplete()).isTrue();
    }

    @Test
    void theLeaderReportsWhatItKeepsInZooKeeper() throws Exception {
        CoordinatorServer a = coordinator(Duration.ofHours(1));
        await().until(a::isLeader);
        CoordinatorConnection<ClientService.Client> client = connect(a);
        String complete = upload(client, bytes(1000, 6));
        byte[] partial = bytes(CHUNK + 10, 7);
        sendAllButLastChunk(client, partial, sha(partial));
        client.call(c -> c.submit(submission(complete, 1, "stats")));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            StoreStats s = client.call(c -> c.storeStats());
            assertThat(s.getCompleteArtifacts()).isEqualTo(1);
            assertThat(s.getCompleteArtifactBytes()).isEqualTo(1000);
            assertThat(s.getUploadsInProgress()).isEqualTo(1);
            assertThat(s.getUploadBytes()).isEqualTo(CHUNK);
            assertThat(s.getFactLogZnodes()).isPositive();
            assertThat(s.getFactLogBytes()).isPositive();
        });
    }

    @Test
    void afterAFailoverTheNewLeaderSweeps() throws Exception {
        CoordinatorServer a = coordinator();
        await().until(a::isLeader);
        CoordinatorServer b = coordinator();
        CoordinatorConnection<ClientService.Client> client = connect(a, b);
        byte[] jar = bytes(CHUNK + 10, 5);
        String sha = sha(jar);
        sendAllButLastChunk(client, jar, sha);
        a.close(); // before its expiry: only the new leader can remove it

        await().atMost(Duration.ofSeconds(20)).until(b::isLeader);
        await().atMost(Duration.ofSeconds(20)).until(() -> !znode(sha));
    }

    private ArtifactStatus sendAllButLastChunk(CoordinatorConnection<ClientService.Client> client, byte[] jar,
                                               String sha) throws Exception {
        ArtifactStatus st = client.call(c -> c.beginUpload(sha, jar.length));
        for (long off = 0; off + CHUNK < jar.length; off += CHUNK) {
            byte[] chunk = Arrays.copyOfRange(jar, (int) off, (int) off + CHUNK);
            long at = off;
            String chunkSha = sha(chunk);
            st = client.call(c -> c.uploadChunk(new ArtifactChunk(sha, at, ByteBuffer.wrap(chunk), chunkSha, jar.length)));
        }
        return st;
    }

    private boolean znode(String sha) throws Exception {
        return inspect.checkExists().forPath("/drover/artifacts/" + sha) != null;
    }

    private CoordinatorServer coordinator() {
        return coordinator(EXPIRY);
    }

    private CoordinatorServer coordinator(Duration expiry) {
        CoordinatorConfig config = CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0)
                .withSessionTimeout(Duration.ofSeconds(3))
                .withRetention(new CoordinatorConfig.ArtifactRetention(expiry, Duration.ofMillis(500)));
        CoordinatorServer s = new CoordinatorServer(config, Clock.systemUTC()).start();
        closeables.add(s);
        return s;
    }

    private CoordinatorConnection<ClientService.Client> connect(CoordinatorServer... servers) {
        List<Endpoint> eps = Stream.of(servers).map(s -> Endpoint.parse(s.endpoint())).toList();
        CoordinatorConnection<ClientService.Client> c = new CoordinatorConnection<>(CoordinatorService.CLIENT, eps,
                "test", Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(20));
        closeables.add(c);
        return c;
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) seed);
        b[0] = (byte) n;
        return b;
    }

    private static String sha(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
