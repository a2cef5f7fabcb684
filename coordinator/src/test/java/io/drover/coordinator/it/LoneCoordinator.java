package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.droverConstants;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * One real coordinator, leading, on Curator's test ZooKeeper, for tests that speak raw Thrift to its
 * port: framed compact connections it closes with itself, and the epoch it leads in.
 */
final class LoneCoordinator implements AutoCloseable {
    private final TestingServer zk;
    private final CoordinatorServer coordinator;
    private final List<TSocket> sockets = new ArrayList<>();

    private LoneCoordinator(TestingServer zk, CoordinatorServer coordinator) {
        this.zk = zk;
        this.coordinator = coordinator;
    }

    static LoneCoordinator start() throws Exception {
        TestingServer zk = new TestingServer(true);
        CoordinatorServer coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString())
                .withListen("127.0.0.1", 0).withSessionTimeout(Duration.ofSeconds(3)), Clock.systemUTC()).start();
        await().atMost(Duration.ofSeconds(20)).until(coordinator::isLeader);
        return new LoneCoordinator(zk, coordinator);
    }

    CoordinatorServer server() {
        return coordinator;
    }

    int port() {
        return coordinator.port();
    }

    /** A plain (unprefixed) framed compact connection; wrap it in a service's multiplexed client as needed. */
    TProtocol connect() {
        try {
            TSocket socket = new TSocket(WireLimits.configuration(), "127.0.0.1", coordinator.port(), 10_000, 5_000);
            socket.open();
            sockets.add(socket);
            return new TCompactProtocol(new TFramedTransport(socket, WireLimits.MAX_FRAME_BYTES));
        } catch (Exception e) {
            return fail("cannot connect", e);
        }
    }

    /** The epoch the coordinator answers hello with: a leadership change shows as a new one. */
    long epoch() throws Exception {
        return CoordinatorService.CLIENT.client(connect()).hello(new Hello(droverConstants.PROTOCOL_VERSION, "probe")).getEpoch();
    }

    @Override
    public void close() throws Exception {
        sockets.forEach(TSocket::close);
        coordinator.close();
        zk.close();
    }
}
