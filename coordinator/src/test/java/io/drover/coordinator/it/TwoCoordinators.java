package io.drover.coordinator.it;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.Endpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.curator.test.TestingServer;
import org.apache.thrift.TServiceClient;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real ZooKeeper (Curator's test server) per test, coordinators on free loopback ports with a
 * 3 s session, and Thrift connections to them; everything is closed after the test, newest first.
 * Register with {@code @RegisterExtension final TwoCoordinators cluster = new TwoCoordinators();}.
 */
final class TwoCoordinators implements BeforeEachCallback, AfterEachCallback {
    private TestingServer zk;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        zk = new TestingServer(true);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        closeables.clear();
        zk.close();
    }

    CoordinatorServer coordinator() {
        CoordinatorConfig config = CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0)
                .withSessionTimeout(Duration.ofSeconds(3));
        CoordinatorServer s = new CoordinatorServer(config, Clock.systemUTC()).start();
        closeables.add(s);
        return s;
    }

    <C extends TServiceClient> CoordinatorConnection<C> connect(CoordinatorService<C> service,
                                                              CoordinatorServer... servers) {
        List<Endpoint> eps = Stream.of(servers).map(s -> Endpoint.parse(s.endpoint())).toList();
        CoordinatorConnection<C> c = new CoordinatorConnection<>(service, eps, "test", Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ofSeconds(20));
        closeables.add(c);
        return c;
    }
}
