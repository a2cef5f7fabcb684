package io.drover.coordinator.web;

import io.drover.http.HealthRoutes;
import io.drover.http.HttpProblem;
import io.drover.http.Json;
import io.drover.http.MetricsRoute;
import io.drover.http.Routes;
import io.drover.http.WebServer;
import io.drover.http.WebServerConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A coordinator's HTTP port: health (open), {@code /metrics} (a viewer token or better when secure),
 * and whatever {@code more} adds (the web API and console). HTTPS with the coordinator's own server
 * certificate when it is secure; plain HTTP only with {@code --insecure}.
 */
public final class CoordinatorWeb {
    /** The permission {@code /metrics} needs: every role people hold (viewer and up) has it; an agent token does not. */
    static final String METRICS_PERMISSION = "store.read";

    private CoordinatorWeb() {
    }

    /**
     * The coordinator's routes, without the server: health, {@code /metrics}, then {@code more}.
     *
     * @param more adds the web API and console ({@code WebRoutes.install}); routes it adds come after
     *     these, so it cannot shadow health or metrics
     */
    public static Routes routes(Json json, Whoami whoami, Supplier<ClusterInfo> cluster, PrometheusRegistry registry,
                                Consumer<Routes> more) {
        Routes routes = new Routes();
        HealthRoutes.install(routes, json, "coordinator", () -> readiness(cluster.get()));
        MetricsRoute metrics = new MetricsRoute(registry);
        routes.get("/metrics", request -> {
            Whoami.Identity who = whoami.identify(request.bearerToken());
            if (!who.may(METRICS_PERMISSION)) {
                throw HttpProblem.forbidden("a token with role '" + who.role() + "' may not read metrics: needs the viewer "
                        + "role or better; ask an admin for a viewer token");
            }
            return metrics.handle(request);
        });
        more.accept(routes);
        return routes;
    }

    /** Starts serving {@code routes} on {@code listen}: HTTPS with {@code tls}, plain HTTP when empty. */
    public static WebServer start(InetSocketAddress listen, Optional<SSLContext> tls, Routes routes, Json json)
            throws IOException {
        return WebServer.start("coordinator", WebServerConfig.defaults(listen, tls), routes, json);
    }

    /** Ready: this coordinator leads, or stands by and knows the leader (so it can redirect callers there). */
    static HealthRoutes.Readiness readiness(ClusterInfo c) {
        if (c.leader()) {
            return new HealthRoutes.Readiness(true, "leader of epoch " + c.epoch());
        }
        return c.leaderEndpoint()
                .map(l -> new HealthRoutes.Readiness(true, "standby; the leader is " + l))
                .orElseGet(() -> new HealthRoutes.Readiness(false, "standby and no leader known (ZooKeeper "
                        + c.zooKeeperState() + ")"));
    }
}
