package io.drover.agent.web;

import io.drover.agent.Agent;
import io.drover.http.HealthRoutes;
import io.drover.http.Json;
import io.drover.http.MetricsRoute;
import io.drover.http.Routes;
import io.drover.http.WebServer;
import io.drover.http.WebServerConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * An agent's optional HTTP port: {@code /metrics} and health, plain HTTP and unauthenticated (they say
 * nothing a job could use: counts, sizes, times), so bind it to a private address a scraper reaches.
 * Small bounds: two threads, tiny bodies, no streams; an agent's memory is its tasks'.
 */
public final class AgentWeb {
    private AgentWeb() {
    }

    public static WebServer start(InetSocketAddress listen, PrometheusRegistry registry, Agent agent) throws IOException {
        Json json = new Json();
        Routes routes = new Routes();
        HealthRoutes.install(routes, json, "agent", () -> agent.registered()
                ? new HealthRoutes.Readiness(true, "registered with coordinator " + agent.coordinator().orElse("?"))
                : new HealthRoutes.Readiness(false, "not registered with a coordinator now; trying "
                        + agent.config().coordinators()));
        routes.get("/metrics", new MetricsRoute(registry));
        return WebServer.start("agent", new WebServerConfig(listen, Optional.empty(), 2, 16, 4096, 0), routes, json);
    }
}
