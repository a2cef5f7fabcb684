package io.drover.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Artifact writes are fenced multis sent once; a resent chunk that already landed answers the status. */
class ZkArtifactStoreTest {
    private static final int CHUNK = ZkArtifactStore.CHUNK;
    private TestingServer server;
    private CuratorFramework zk;
    private ZkCoordinatorStore store;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        zk = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        zk.start();
        store = new ZkCoordinatorStore(zk, "/t");
    }

    @AfterEach
    void stop() throws Exception {
        zk.close();
        server.close();
    }

    private static byte[] jar(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }

    private static String sha(byte[] b) {
        return HexFormat.of().formatHex(ZkArtifactStore.sha256().digest(b));
    }

    @Test
    void aResentChunkThatLandedAnswersTheSameStatus() {
        Epoch e = store.acquireEpoch();
        byte[] jar = jar(CHUNK + 1000);
        String sha = sha(jar);
        ArtifactStore artifacts = store.artifacts();
        artifacts.begin(e, sha, jar.length);
        byte[] first = Arrays.copyOfRange(jar, 0, CHUNK);

        ArtifactStore.Status once = artifacts.append(e, sha, 0, first);
        ArtifactStore.Status twice = artifacts.append(e, sha, 0, first);

        assertThat(once).isEqualTo(new ArtifactStore.Status(sha, jar.length, CHUNK, false));
        assertThat(twice).isEqualTo(once);
        byte[] last = Arrays.copyOfRange(jar, CHUNK, jar.length);
        ArtifactStore.Status done = artifacts.append(e, sha, CHUNK, last);
        assertThat(done.complete()).isTrue();
        assertThat(artifacts.append(e, sha, CHUNK, last)).isEqualTo(done);
        assertThat(artifacts.read(sha, 0, jar.length)).isEqualTo(jar);
    }

    @Test
    void aDifferentChunkAtAReceivedOffsetIsStillRefused() {
        Epoch e = store.acquireEpoch();
        byte[] jar = jar(CHUNK + 10);
        String sha = sha(jar);
        store.artifacts().begin(e, sha, jar.length);
        store.artifacts().append(e, sha, 0, Arrays.copyOfRange(jar, 0, CHUNK));
        byte[] other = new byte[CHUNK];
        assertThatThrownBy(() -> store.artifacts().append(e, sha, 0, other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("received so far");
    }

    @Test
    void aDeposedLeaderIsFencedButAStaleMetadataVersionIsNot() {
        Epoch first = store.acquireEpoch();
        byte[] jar = jar(100);
        String sha = sha(jar);
        store.artifacts().begin(first, sha, jar.length);
        ArtifactStore.Stored seen = store.artifacts().list().get(0);
        store.artifacts().begin(first, sha, jar.length); // touch: the metadata version moves on
        assertThat(store.artifacts().delete(first, seen)).as("changed since seen: kept, not fenced").isFalse();

        Epoch second = store.acquireEpoch();
        assertThatThrownBy(() -> store.artifacts().append(first, sha, 0, jar)).isInstanceOf(FencedException.class);
        assertThat(store.artifacts().append(second, sha, 0, jar).complete()).isTrue();
    }
}
