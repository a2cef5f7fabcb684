package io.drover.http;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Health for supervisors and load balancers, unauthenticated and cheap: {@code /health/live} answers
 * 200 while the process serves at all; {@code /health/ready} answers 200 or 503 from the given
 * {@link Readiness} (for a coordinator: leader, or a standby that knows the leader).
 */
public final class HealthRoutes {
    /** Whether the process is ready, and a short reason a human can read in either case. */
    public record Readiness(boolean ready, String detail) {
    }

    private HealthRoutes() {
    }

    public static void install(Routes routes, Json json, String role, Supplier<Readiness> readiness) {
        routes.get("/health/live", r -> Response.json(200, json.write(Map.of("status", "live", "role", role))));
        routes.get("/health/ready", r -> {
            Readiness ready = readiness.get();
            return Response.json(ready.ready() ? 200 : 503, json.write(Map.of(
                    "status", ready.ready() ? "ready" : "not ready", "role", role, "detail", ready.detail())));
        });
    }
}
