package io.drover.coordinator.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.transport.Peer;
import io.drover.coordinator.transport.TransportLimits;
import io.drover.protocol.CallDeadlines;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.Endpoint;
import io.drover.protocol.Sha256;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.droverConstants;
import io.drover.protocol.tls.ClientSecurity;
import io.drover.protocol.tls.TlsFailures;
import io.drover.protocol.tls.TlsRefusedException;
import io.drover.protocol.tls.TlsSettings;
import io.drover.protocol.tls.TlsSockets;
import io.drover.testkit.tls.TestPki;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TLS 1.3 through the coordinator's real non-blocking transport, against the real client
 * connection: calls with and without client certificates, the refusals a user must understand,
 * handshakes that never finish, many and large frames, parked long polls, and garbage records.
 */
class TlsTransportTest {
    /** The handshake timeout under test, on a server of its own (see the test that needs it). */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(700);
    /**
     * The other tests' server: a cold JVM's first handshake on a loaded 2-core machine can outlast 700 ms, which
     * closed it and failed tests that are not about the timeout; still below their 5 s waits for a close.
     */
    private static final Duration SHARED_HANDSHAKE_TIMEOUT = Duration.ofSeconds(4);

    private final TestPki pki = TestPki.create("drover test CA");
    private final List<AutoCloseable> closing = new ArrayList<>();
    private TlsTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TlsTestServer(pki.serverSettings(), limits(SHARED_HANDSHAKE_TIMEOUT));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        server.close();
    }

    @Test
    void aClientWithTheCaCallsOverTlsAndPresentsNoCertificate() {
        CoordinatorConnection<ClientService.Client> c = client(ClientSecurity.of(pki.clientSettings(), "tok-1"));
        byte[] data = TlsTestServer.pattern(1000);
        String sha = c.call(x -> x.uploadChunk(new ArtifactChunk().setData(data))).getSha256();
        assertThat(sha).isEqualTo(Sha256.hex(data));
        assertThat(server.peers).isNotEmpty().allSatisfy(p -> {
            assertThat(p.tls()).isTrue();
            assertThat(p.certificates()).isEmpty();
        });
    }

    @Test
    void anAgentsCertificateChainShowsInThePeer() {
        CoordinatorConnection<AgentService.Client> a = agent(ClientSecurity.of(pki.agentSettings("agent-7"), null));
        a.call(x -> x.fetchArtifact("abc", 0, 10));
        Peer peer = server.peers.peek();
        assertThat(peer.tls()).isTrue();
        assertThat(peer.certificates()).hasSize(2);
        assertThat(peer.certificate().orElseThrow().getSubjectX500Principal().getName()).isEqualTo("CN=agent-7");
        assertThat(peer.certificates().get(1)).isEqualTo(pki.ca());
    }

    @Test
    void theHostNameIsCheckedAgainstTheServerCertificate() throws Exception {
        // localhost is in the certificate too; an address it does not name is refused.
        TSocket ok = TlsSockets.open(pki.clientSettings(), "localhost", server.port(), 5_000, 5_000);
        ok.close();
        TestPki other = TestPki.create("drover test CA");
        TlsTestServer named = new TlsTestServer(serverNaming(other, "coordinator.example"), TransportLimits.defaults());
        closing.add(named);
        assertThatThrownBy(() -> TlsSockets.open(other.clientSettings(), "127.0.0.1", named.port(), 5_000, 5_000))
                .isInstanceOf(TlsRefusedException.class)
                .hasMessageContaining("does not name the host");
    }

    @Test
    void aPlaintextClientIsToldThePortSpeaksTls() {
        CoordinatorConnection<ClientService.Client> c = client(ClientSecurity.insecure());
        assertThatThrownBy(() -> c.call(x -> x.listJobs(1)))
                .isInstanceOf(TlsRefusedException.class)
                .hasMessageContaining("refused a plaintext connection")
                .hasMessageContaining("give --ca-file (or DROVER_CA_FILE), or run everything with --insecure");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.transport().openConnections() == 0);
    }

    @Test
    void aClientTrustingAnotherCaIsToldWhichCaFailed() {
        TlsSettings otherCa = TlsSettings.client(TestPki.create("another CA").ca(), "/etc/drover/other-ca.pem");
        CoordinatorConnection<ClientService.Client> c = client(ClientSecurity.of(otherCa, null));
        assertThatThrownBy(() -> c.call(x -> x.listJobs(1)))
                .isInstanceOf(TlsRefusedException.class)
                .hasMessageContaining("the coordinator at 127.0.0.1:" + server.port()
                        + " presented a certificate not signed by the cluster CA in /etc/drover/other-ca.pem");
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefusedInTheHandshake() throws Exception {
        // The JDK's own key manager would not even offer a certificate the server's CA did not issue;
        // a hostile client would: this one always does.
        TestPki.Issued rogue = TestPki.create("rogue CA").client("agent-9");
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(new KeyManager[] {new AlwaysPresenting(rogue)},
                TrustManagerFactoryOf.trusting(pki.ca()), null);
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port());
        closing.add(ssl);
        ssl.setSoTimeout(10_000);
        ClientService.Client client = CoordinatorService.CLIENT.client(
                new TCompactProtocol(new TFramedTransport(new TSocket(ssl), WireLimits.MAX_FRAME_BYTES)));
        Throwable failure = catchThrowable(() -> {
            ssl.startHandshake();
            client.hello(new Hello(droverConstants.PROTOCOL_VERSION, "rogue"));
        });
        assertThat(failure).isNotNull();
        // The server's alert names the refusal; when the client's hello crosses the server's close, the
        // kernel may deliver a reset instead (a TLS 1.3 client learns of the refusal only on its first
        // read). Either way no call got through.
        if (TlsFailures.find(failure, java.net.SocketException.class) == null) {
            assertThat(TlsFailures.refusal(failure, "127.0.0.1:" + server.port(), pki.clientSettings()))
                    .as("mapped from %s", failure)
                    .hasValueSatisfying(r -> assertThat(r).hasMessageContaining("refused this side's certificate"));
        }
        assertThat(server.peers).isEmpty();
    }

    @Test
    void aPinnedFingerprintClientAcceptsTheClusterCaAndShowsIt() {
        TlsSettings pinned = TlsSettings.pinnedCa(io.drover.protocol.tls.Fingerprints.sha256(pki.ca()));
        client(ClientSecurity.of(pinned, null)).call(x -> x.uploadChunk(new ArtifactChunk().setData(new byte[1])));
        assertThat(pinned.seenCa()).contains(pki.ca());
        TlsSettings wrong = TlsSettings.pinnedCa("ab".repeat(32));
        assertThatThrownBy(() -> client(ClientSecurity.of(wrong, null)).call(x -> x.listJobs(1)))
                .isInstanceOf(TlsRefusedException.class)
                .hasMessageContaining("not signed by the cluster CA in the CA with fingerprint abab");
    }

    @Test
    void aConnectionThatNeverFinishesItsHandshakeIsClosedAfterTheHandshakeTimeout() throws Exception {
        TlsTestServer quick = new TlsTestServer(pki.serverSettings(), limits(HANDSHAKE_TIMEOUT));
        closing.add(quick);
        Socket silent = rawSocket(quick);
        Socket halfway = rawSocket(quick);
        // a record header promising a ClientHello that never comes
        halfway.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x01, 0x00, 0x01});
        halfway.getOutputStream().flush();
        long start = System.nanoTime();
        assertThat(silent.getInputStream().read()).isEqualTo(-1);
        assertThat(halfway.getInputStream().read()).isEqualTo(-1);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMs).isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT.toMillis() - 100).isLessThan(10_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> quick.transport().openConnections() == 0);
    }

    @Test
    void manyFramesOnOneConnectionAndLargeFramesBothWays() {
        CoordinatorConnection<ClientService.Client> c = client(ClientSecurity.of(pki.clientSettings(), null));
        for (int i = 0; i < 500; i++) {
            byte[] data = TlsTestServer.pattern(1 + i * 37);
            assertThat(c.call(x -> x.uploadChunk(new ArtifactChunk().setData(data))).getSha256()).isEqualTo(Sha256.hex(data));
        }
        byte[] big = TlsTestServer.pattern(6 * 1024 * 1024 + 123);
        assertThat(c.call(Duration.ofSeconds(30), x -> x.uploadChunk(new ArtifactChunk().setData(big))).getSha256())
                .isEqualTo(Sha256.hex(big));
        CoordinatorConnection<AgentService.Client> a = agent(ClientSecurity.of(pki.agentSettings("agent-1"), null));
        int size = 7 * 1024 * 1024 + 5;
        byte[] reply = a.call(Duration.ofSeconds(30), x -> x.fetchArtifact("s", 0, size)).getData();
        assertThat(reply).isEqualTo(TlsTestServer.pattern(size));
        assertThat(server.transport().readBytesHeld()).isZero();
    }

    @Test
    void framesTheLayerAlreadyDecryptedAreServedWithoutMoreBytesFromTheSocket() throws Exception {
        TSocket s = TlsSockets.open(pki.clientSettings(), "127.0.0.1", server.port(), 10_000, 5_000);
        closing.add(s::close);
        TFramedTransport framed = new TFramedTransport(s, WireLimits.MAX_FRAME_BYTES);
        TProtocol protocol = new TCompactProtocol(framed);
        ClientService.Client client = CoordinatorService.CLIENT.client(protocol);
        // Pipelined: three calls in one burst of records, before any reply is read.
        for (int i = 0; i < 3; i++) {
            client.send_hello(new Hello(droverConstants.PROTOCOL_VERSION, "pipelined-" + i));
        }
        for (int i = 0; i < 3; i++) {
            protocol.readMessageBegin();
            TProtocolUtil.skip(protocol, TType.STRUCT);
            protocol.readMessageEnd();
        }
        assertThat(server.peers).hasSize(3);
    }

    @Test
    void longPollsParkOnTlsConnectionsWithoutBlockingOthers() throws Exception {
        int polls = 40;
        ExecutorService pool = Executors.newFixedThreadPool(polls);
        closing.add(pool::shutdownNow);
        List<Future<?>> waiting = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            // 40 handshakes at once on a loaded 2-core machine (a cold JVM's first TLS): one may take longer than the
            // usual 5 s retry budget, which is not what this test is about, so these connections retry for a minute.
            CoordinatorConnection<AgentService.Client> a = agent(ClientSecurity.of(pki.agentSettings("agent-" + i), null),
                    Duration.ofSeconds(60));
            waiting.add(pool.submit(() -> a.call(Duration.ofSeconds(60), x -> x.heartbeat(new HeartbeatRequest()))));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> server.parked.size() == polls);
        // parked polls hold no thread: other calls still go through
        CoordinatorConnection<ClientService.Client> c = client(ClientSecurity.of(pki.clientSettings(), null));
        assertThat(c.call(x -> x.uploadChunk(new ArtifactChunk().setData(new byte[3]))).getSha256()).isNotEmpty();
        server.releaseParked();
        for (Future<?> f : waiting) {
            f.get();
        }
    }

    @Test
    void garbageAndTruncatedRecordsCloseOnlyTheirConnection() throws Exception {
        CoordinatorConnection<ClientService.Client> c = client(ClientSecurity.of(pki.clientSettings(), null));
        c.call(x -> x.uploadChunk(new ArtifactChunk().setData(new byte[4])));
        byte[][] attacks = {
                {0x16, 0x03, 0x03, 0x00, 0x05, 1, 2, 3, 4, 5},                       // a handshake record of garbage
                {0x16, 0x03, 0x03, (byte) 0xff, (byte) 0xff, 0, 0, 0},              // a record far over the limit
                {0x17, 0x03, 0x03, 0x00, 0x10, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9}, // data before a handshake
        };
        for (byte[] attack : attacks) {
            Socket s = rawSocket();
            s.getOutputStream().write(attack);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            await().atMost(Duration.ofSeconds(5)).until(() -> in.read() == -1 || in.read() == -1);
        }
        Socket truncated = rawSocket();
        OutputStream out = truncated.getOutputStream();
        out.write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x40, 1, 0, 0});
        out.flush();
        truncated.shutdownOutput();
        await().atMost(Duration.ofSeconds(5)).until(() -> truncated.getInputStream().read() == -1);
        // the good connection is untouched
        c.call(x -> x.uploadChunk(new ArtifactChunk().setData(new byte[5])));
        await().atMost(Duration.ofSeconds(5)).until(() -> server.transport().openConnections() == 1);
    }

    @Test
    void aTlsClientOnAPlaintextPortIsToldItDoesNotSpeakTls() throws Exception {
        TlsTestServer plain = new TlsTestServer(TlsSettings.insecure(), TransportLimits.defaults());
        closing.add(plain);
        assertThatThrownBy(() -> TlsSockets.open(pki.clientSettings(), "127.0.0.1", plain.port(), 5_000, 5_000))
                .isInstanceOf(TlsRefusedException.class)
                .hasMessage("the coordinator at 127.0.0.1:" + plain.port()
                        + " does not speak TLS; if it runs with --insecure, pass --insecure (or DROVER_INSECURE=1)");
        // and plaintext still works there
        CoordinatorConnection<ClientService.Client> c = new CoordinatorConnection<>(CoordinatorService.CLIENT,
                List.of(new Endpoint("127.0.0.1", plain.port())), "test", CallDeadlines.DEFAULTS, true);
        closing.add(c);
        c.call(x -> x.uploadChunk(new ArtifactChunk().setData(new byte[2])));
    }

    /** Presents its certificate whatever issuers the server asks for. */
    private static final class AlwaysPresenting extends X509ExtendedKeyManager {
        private final TestPki.Issued issued;

        AlwaysPresenting(TestPki.Issued issued) {
            this.issued = issued;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "rogue";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "rogue";
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return issued.chain().toArray(new X509Certificate[0]);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return issued.key();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"rogue"};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    private static final class TrustManagerFactoryOf {
        static TrustManager[] trusting(X509Certificate ca) throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", ca);
            TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(store);
            return f.getTrustManagers();
        }
    }

    private static TlsSettings serverNaming(TestPki pki, String host) {
        TestPki.Issued s = pki.issue("coordinator", List.of(host), true);
        return TlsSettings.server(s.key(), s.chain(), pki.ca());
    }

    private static TransportLimits limits(Duration handshakeTimeout) {
        return TransportLimits.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60))
                .withHandshakeTimeout(handshakeTimeout);
    }

    private Socket rawSocket() throws Exception {
        return rawSocket(server);
    }

    private Socket rawSocket(TlsTestServer to) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", to.port()), 5_000);
        s.setSoTimeout(10_000);
        closing.add(s);
        return s;
    }

    private CoordinatorConnection<ClientService.Client> client(ClientSecurity security) {
        CoordinatorConnection<ClientService.Client> c = new CoordinatorConnection<>(CoordinatorService.CLIENT,
                List.of(new Endpoint("127.0.0.1", server.port())), "test-client",
                CallDeadlines.DEFAULTS.withRetry(Duration.ofSeconds(5)), true, security);
        closing.add(c);
        return c;
    }

    private CoordinatorConnection<AgentService.Client> agent(ClientSecurity security) {
        return agent(security, Duration.ofSeconds(5));
    }

    private CoordinatorConnection<AgentService.Client> agent(ClientSecurity security, Duration retry) {
        CoordinatorConnection<AgentService.Client> c = new CoordinatorConnection<>(CoordinatorService.AGENT,
                List.of(new Endpoint("127.0.0.1", server.port())), "test-agent",
                CallDeadlines.DEFAULTS.withRetry(retry), false, security);
        closing.add(c);
        return c;
    }
}
