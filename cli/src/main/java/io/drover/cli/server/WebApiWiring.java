package io.drover.cli.server;

import io.drover.coordinator.CoordinatorServer;
import io.drover.http.Routes;
import io.drover.protocol.tls.Pem;
import io.drover.web.ClusterInfo;
import io.drover.web.Identity;
import io.drover.web.WebContext;
import io.drover.web.WebRoutes;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Puts the web API and console on a coordinator's HTTP port: adapts what the coordinator knows (who a
 * token is, the cluster as this coordinator sees it, its CA) to the web module's own types, which know
 * nothing of the coordinator. The web module calls back into the cluster through the SDK, like any client.
 */
public final class WebApiWiring implements AutoCloseable {
    private final CoordinatorServer server;
    private final Clock clock;
    private final AtomicReference<WebRoutes> installed = new AtomicReference<>();

    public WebApiWiring(CoordinatorServer server, Clock clock) {
        this.server = server;
        this.clock = clock;
    }

    /** For {@code CoordinatorServer.withHttp}: runs during start, once the endpoint, whoami and cluster info answer. */
    public Consumer<Routes> installer() {
        return routes -> installed.set(WebRoutes.install(routes, context()));
    }

    private WebContext context() {
        Optional<String> caPem = server.ca().map(ca -> Pem.encodeCertificates(List.of(ca)));
        return new WebContext(server.endpoint(), caPem, token -> {
            var id = server.whoami().identify(token);
            return new Identity(id.subject(), id.role(), id.permissions(), id.insecure());
        }, this::clusterInfo, clock);
    }

    private ClusterInfo clusterInfo() {
        var c = server.clusterInfo();
        return new ClusterInfo(c.coordinatorId(), c.leader(), c.epoch(), c.leaderEndpoint(), c.standbys(), c.zooKeeperState(),
                c.recentLeadershipChanges().stream()
                        .map(x -> new ClusterInfo.LeadershipChange(x.at(), x.epoch(), x.gained(), x.reason())).toList());
    }

    @Override
    public void close() {
        WebRoutes routes = installed.getAndSet(null);
        if (routes != null) {
            routes.close();
        }
    }
}
