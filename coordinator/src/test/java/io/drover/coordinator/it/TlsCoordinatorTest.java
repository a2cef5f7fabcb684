package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.watchdog.RpcSelfProbe;
import io.drover.protocol.tls.Pem;
import io.drover.protocol.tls.TlsSettings;
import io.drover.sdk.Credentials;
import io.drover.sdk.DroverClient;
import io.drover.sdk.TlsConnectionException;
import io.drover.testkit.tls.TestPki;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real coordinator serving TLS 1.3, and the SDK reaching it with the cluster CA from a file; a
 * plaintext SDK client is told what to give. The watchdog's self-probe speaks TLS too.
 */
class TlsCoordinatorTest {
    private final TestPki pki = TestPki.create("drover cluster CA");
    private TestingServer zk;
    private CoordinatorServer coordinator;

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0)
                .withSessionTimeout(Duration.ofSeconds(3)), Clock.systemUTC()).withTls(pki.serverSettings()).start();
        await().atMost(Duration.ofSeconds(20)).until(coordinator::isLeader);
    }

    @AfterEach
    void stop() throws Exception {
        coordinator.close();
        zk.close();
    }

    @Test
    void theSdkTalksTlsWithTheCaFromAFile(@TempDir Path dir) throws Exception {
        Path ca = pki.writeCa(dir.resolve("ca.pem"));
        try (DroverClient client = DroverClient.builder().endpoints("127.0.0.1:" + coordinator.port())
                .credentials(Credentials.caFile(ca).withToken("a-token")).build()) {
            assertThat(client.jobs(10)).isEmpty();
            assertThat(client.agents()).isEmpty();
        }
        try (DroverClient byPem = DroverClient.connect("localhost:" + coordinator.port(),
                Credentials.caPem(Pem.encodeCertificates(List.of(pki.ca()))))) {
            assertThat(byPem.jobs(1)).isEmpty();
        }
    }

    @Test
    void aPlaintextSdkClientIsToldToGiveTheCa() {
        try (DroverClient client = DroverClient.builder().endpoints("127.0.0.1:" + coordinator.port())
                .retryDeadline(Duration.ofSeconds(5)).build()) {
            assertThatThrownBy(() -> client.jobs(1)).isInstanceOf(TlsConnectionException.class)
                    .hasMessageContaining("this coordinator requires TLS: give --ca-file (or DROVER_CA_FILE)");
        }
    }

    @Test
    void theWatchdogProbeSpeaksTls() {
        assertThat(new RpcSelfProbe("127.0.0.1", coordinator.port(), 2_000, TlsSettings.client(pki.ca())).failure()).isNull();
        TlsSettings otherCa = TlsSettings.client(TestPki.create("other").ca(), "other.pem");
        assertThat(new RpcSelfProbe("127.0.0.1", coordinator.port(), 2_000, otherCa).failure())
                .contains("not signed by the cluster CA in other.pem");
    }
}
