package io.drover.web;

import io.drover.http.Json;
import io.drover.http.Routes;
import io.drover.web.api.ApiGateway;

/**
 * The one entry the coordinator process calls: adds the JSON API (and, once web-console adds it, the console)
 * to its routes. Close it when the web server stops: it holds the gateway's SDK clients.
 */
public final class WebRoutes implements AutoCloseable {
    private final ApiGateway api;

    private WebRoutes(ApiGateway api) {
        this.api = api;
    }

    /** Adds every {@code /api/v1/...} route to {@code routes}; returns what to close at shutdown. */
    public static WebRoutes install(Routes routes, WebContext ctx) {
        ApiGateway api = new ApiGateway(ctx, new Json());
        api.install(routes);
        new io.drover.web.api.TaskStreamRoute(api).install(routes);
        io.drover.web.console.ConsoleRoutes.install(routes);
        return new WebRoutes(api);
    }

    @Override
    public void close() {
        api.close();
    }
}
