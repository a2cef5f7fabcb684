package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.transport.TransportLimits;
import io.drover.coordinator.watchdog.RpcSelfProbe;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.droverConstants;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's port against peers that hold connections and memory: raw sockets sending
 * headers without bodies, frames that never finish, more connections than one address may hold,
 * next to a parked long poll that must survive all timeouts.
 */
class TransportLimitsTest {
    private static final Duration FRAME_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    private static final int PER_ADDRESS = 80;

    private TestingServer zk;
    private CoordinatorServer coordinator;
    private final List<Socket> raw = new ArrayList<>();
    private final List<TSocket> sockets = new ArrayList<>();

    @BeforeEach
    void startCoordinator() throws Exception {
        zk = new TestingServer(true);
        startCoordinator(IDLE_TIMEOUT);
    }

    private void startCoordinator(Duration idleTimeout) {
        TransportLimits limits = TransportLimits.defaults().withTimeouts(FRAME_TIMEOUT, idleTimeout)
                .withConnectionCaps(PER_ADDRESS, 1000);
        coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0)
                .withSessionTimeout(Duration.ofSeconds(3)).withTransport(limits), Clock.systemUTC()).start();
        await().atMost(Duration.ofSeconds(20)).until(coordinator::isLeader);
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : raw) {
            s.close();
        }
        sockets.forEach(TSocket::close);
        coordinator.close();
        zk.close();
    }

    @Test
    void headersClaimingTheLargestFrameDoNotStarveOthers() throws Exception {
        int max = TransportLimits.defaults().maxFrameBytes();
        for (int i = 0; i < 64; i++) {
            Socket s = connect();
            OutputStream out = s.getOutputStream();
            out.write(header(max));
            out.write(new byte[1024]);
            out.flush();
        }
        long t0 = System.nanoTime();
        assertThat(hello("after-claims")).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        // Memory follows bytes received (staged in 8 KiB first chunks), not the largest frame claimed.
        assertThat(coordinator.transport().readBytesHeld()).isLessThanOrEqualTo(64L * 8 * 1024);
    }

    @Test
    void aLargeRequestIsStagedAsItArrivesThenServedAndItsMemoryFreed() throws Exception {
        String name = "x".repeat(3 * 1024 * 1024);
        assertThat(CoordinatorService.CLIENT.client(protocol()).hello(new Hello(droverConstants.PROTOCOL_VERSION, name)).isLeader())
                .isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> coordinator.transport().readBytesHeld() == 0);
    }

    @Test
    void aHeaderOverTheLargestFrameClosesItsConnectionAtOnce() throws Exception {
        Socket s = connect();
        s.getOutputStream().write(header(TransportLimits.defaults().maxFrameBytes() + 1));
        await().atMost(Duration.ofSeconds(2)).until(() -> closedByServer(s));
    }

    @Test
    void aFrameNotFinishedInTimeIsClosedButAnIdleConnectionIsNot() throws Exception {
        Socket slow = connect();
        Socket idle = connect();
        slow.getOutputStream().write(header(100));
        slow.getOutputStream().write(new byte[10]);
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> closedByServer(slow));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(FRAME_TIMEOUT.minusMillis(200));
        assertThat(closedByServer(idle)).as("idle for less than the idle timeout").isFalse();
        await().atMost(IDLE_TIMEOUT.plusSeconds(3)).until(() -> closedByServer(idle));
    }

    @Test
    void aParkedLongPollOutlivesTheFrameAndIdleTimeouts() throws Exception {
        AgentService.Client agent = CoordinatorService.AGENT.client(protocol());
        agent.registerAgent(new AgentRegistration("poller", "localhost", 1, Map.of(), droverConstants.PROTOCOL_VERSION, "test"));
        long wait = IDLE_TIMEOUT.toMillis() + 1_500;
        long t0 = System.nanoTime();
        agent.heartbeat(new HeartbeatRequest("poller", List.of(), List.of(), 1, false, wait, droverConstants.PROTOCOL_VERSION));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("parked, not cut").isGreaterThanOrEqualTo(Duration.ofMillis(wait - 200));
        // and the connection still serves between calls
        assertThat(agent.hello(new Hello(droverConstants.PROTOCOL_VERSION, "poller")).isLeader()).isTrue();
    }

    @Test
    void oneAddressMayHoldOnlySoManyConnections() throws Exception {
        // Held connections are idle: on a loaded machine opening 80 of them can outlast the 3 s idle
        // timeout the other tests use, and the sweeper would close some mid-test.
        coordinator.close();
        startCoordinator(Duration.ofMinutes(2));
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < PER_ADDRESS; i++) {
            held.add(connect());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> coordinator.transport().openConnections() == PER_ADDRESS);
        Socket over = connect();
        await().atMost(Duration.ofSeconds(2)).until(() -> closedByServer(over));
        assertThat(held.stream().filter(TransportLimitsTest::closedByServer)).isEmpty();
        assertThat(new RpcSelfProbe("127.0.0.1", coordinator.port(), 2_000).failure())
                .as("the watchdog's probe, refused at the cap, still counts the port as working").isNull();

        held.get(0).close();
        await().atMost(Duration.ofSeconds(5)).until(() -> coordinator.transport().openConnections() == PER_ADDRESS - 1);
        assertThat(hello("under-the-cap-again")).isTrue();
    }

    private boolean hello(String who) {
        try {
            return CoordinatorService.CLIENT.client(protocol()).hello(new Hello(droverConstants.PROTOCOL_VERSION, who)).isLeader();
        } catch (Exception e) {
            return false;
        }
    }

    private TCompactProtocol protocol() throws Exception {
        TSocket socket = new TSocket(WireLimits.configuration(), "127.0.0.1", coordinator.port(), 15_000, 2_000);
        socket.open();
        sockets.add(socket);
        return new TCompactProtocol(new TFramedTransport(socket, WireLimits.MAX_FRAME_BYTES));
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        raw.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", coordinator.port()), 2_000);
        s.setSoTimeout(20);
        return s;
    }

    private static byte[] header(int length) {
        return ByteBuffer.allocate(4).putInt(length).array();
    }

    private static boolean closedByServer(Socket s) {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
