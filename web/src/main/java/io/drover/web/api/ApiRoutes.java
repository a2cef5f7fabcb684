package io.drover.web.api;

import io.drover.http.Route;
import io.drover.http.Routes;
import java.util.ArrayList;
import java.util.List;

/** Adds API routes to the server's {@link Routes} and remembers them, so a test can hold them against the OpenAPI document. */
final class ApiRoutes {
    private final Routes routes;
    private final List<String> added = new ArrayList<>();

    ApiRoutes(Routes routes) {
        this.routes = routes;
    }

    ApiRoutes get(String pattern, Route route) {
        routes.get(pattern, route);
        added.add("GET " + pattern);
        return this;
    }

    ApiRoutes post(String pattern, Route route) {
        routes.post(pattern, route);
        added.add("POST " + pattern);
        return this;
    }

    /** "GET /api/v1/jobs/{id}", ... in the order added. */
    List<String> added() {
        return List.copyOf(added);
    }
}
