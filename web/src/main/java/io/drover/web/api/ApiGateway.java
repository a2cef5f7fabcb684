package io.drover.web.api;

import io.drover.http.HttpProblem;
import io.drover.http.Json;
import io.drover.http.Request;
import io.drover.http.Response;
import io.drover.http.Routes;
import io.drover.sdk.DroverClient;
import io.drover.web.Identity;
import io.drover.web.WebContext;
import io.drover.web.api.dto.Dtos;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The HTTP JSON API under {@code /api/v1}: each request is checked for a token ({@link io.drover.web.Whoami}), then served by
 * calling the coordinators through an SDK client presenting that token ({@link ClientPool}), so the coordinators
 * decide what the caller may do exactly as for the CLI. SDK errors become statuses in {@link SdkErrors}.
 */
public final class ApiGateway implements AutoCloseable {
    public static final String PREFIX = "/api/v1";
    private static final int MAX_CLIENTS = 32;
    private static final Duration CLIENT_IDLE = Duration.ofMinutes(2);
    private static final int TRACKED_JOBS = 2_000;
    /** Shared reads are this fresh at most: the event streams poll once a second. */
    static final Duration SHARED_MAX_AGE = Duration.ofMillis(900);
    /** Answers younger than {@link #SHARED_MAX_AGE} held at most (a task stream's JSON is tens of KB). */
    static final int SHARED_MAX_ENTRIES = 64;

    private final WebContext ctx;
    private final Json json;
    private final ClientPool pool;
    private final RateTracker rates;
    private final SharedReads shared;

    public ApiGateway(WebContext ctx, Json json) {
        this(ctx, json, new ClientPool(ClientPool.sdkClients(ctx.coordinatorEndpoints(), ctx.caPem()), MAX_CLIENTS,
                CLIENT_IDLE, ctx.clock()));
    }

    ApiGateway(WebContext ctx, Json json, ClientPool pool) {
        this.ctx = ctx;
        this.json = json;
        this.pool = pool;
        this.rates = new RateTracker(TRACKED_JOBS, Duration.ofMinutes(1));
        this.shared = new SharedReads(ctx.clock(), SHARED_MAX_AGE, SHARED_MAX_ENTRIES);
    }

    /** Adds every API route; returns them as {@code "METHOD /pattern"}. */
    public List<String> install(Routes server) {
        ApiRoutes routes = new ApiRoutes(server);
        routes.get(PREFIX + "/whoami", r -> ok(Dtos.whoami(identify(r))));
        routes.get(PREFIX + "/cluster", r -> {
            identify(r);
            return ok(Dtos.cluster(ctx.cluster().get()));
        });
        routes.get(PREFIX + "/openapi.yaml", new OpenApiRoute()::handle);
        new JobRoutes(this).install(routes);
        new AgentRoutes(this).install(routes);
        new ScheduleRoutes(this).install(routes);
        new EventRoutes(this).install(routes);
        return routes.added();
    }

    /** Who calls; @throws HttpProblem 401 when the token is missing or refused */
    Identity identify(Request r) throws HttpProblem {
        return ctx.whoami().identify(r.bearerToken());
    }

    /**
     * Runs {@code call} with an SDK client presenting the caller's token, after checking it.
     *
     * @param refusedStatus the status of the coordinator refusing the request as invalid (see {@link SdkErrors})
     */
    <T> T call(Request r, int refusedStatus, Function<DroverClient, T> call) throws HttpProblem {
        identify(r);
        return callChecked(r.bearerToken(), refusedStatus, call);
    }

    /** As {@link #call}, for a caller already identified (a stream's later polls). */
    <T> T callChecked(Optional<String> token, int refusedStatus, Function<DroverClient, T> call) throws HttpProblem {
        try (ClientPool.Lease lease = pool.lease(ctx.insecure() ? Optional.empty() : token)) {
            return call.apply(lease.client());
        } catch (RuntimeException e) {
            throw SdkErrors.problem(e, refusedStatus);
        }
    }

    Response ok(Object body) {
        return Response.json(200, json.write(body));
    }

    Json json() {
        return json;
    }

    WebContext context() {
        return ctx;
    }

    RateTracker rates() {
        return rates;
    }

    /** Reads that callers with the same token asking the same thing share. */
    SharedReads shared() {
        return shared;
    }

    @Override
    public void close() {
        pool.close();
    }
}
