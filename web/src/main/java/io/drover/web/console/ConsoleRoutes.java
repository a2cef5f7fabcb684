package io.drover.web.console;

import io.drover.http.Routes;
import io.drover.http.StaticAssets;

/**
 * The web console: static files built into the jar (class-path folder {@code io/drover/web/console}), served at
 * {@code /} (the page) and {@code /console/*} (its script and style). The page talks only to the JSON API, with
 * the token the user typed, kept in the tab's sessionStorage and sent as {@code Authorization: Bearer}: no
 * cookies, so no cross-site request can act for the user. The page needs no CDN and no inline script or style,
 * so the server's Content-Security-Policy ({@code default-src 'self'}) holds.
 */
public final class ConsoleRoutes {
    public static final String FOLDER = "io/drover/web/console";

    private ConsoleRoutes() {
    }

    /** Adds {@code GET /} and {@code GET /console/*}. */
    public static void install(Routes routes) {
        StaticAssets assets = new StaticAssets(ConsoleRoutes.class.getClassLoader(), FOLDER, "index.html");
        routes.get("/", assets);
        routes.get("/console/*", assets);
    }
}
