package io.drover.web.api;

import io.drover.http.HttpProblem;
import io.drover.http.Request;
import io.drover.http.Response;
import io.drover.web.api.dto.Dtos;
import java.time.Instant;

/** Agents: the list, drain and undrain; the audit log; owners' quotas. */
final class AgentRoutes {
    private final ApiGateway api;

    AgentRoutes(ApiGateway api) {
        this.api = api;
    }

    void install(ApiRoutes routes) {
        String p = ApiGateway.PREFIX;
        routes.get(p + "/agents", this::list);
        routes.post(p + "/agents/{id}/drain", r -> drain(r, true));
        routes.post(p + "/agents/{id}/undrain", r -> drain(r, false));
        routes.get(p + "/audit", this::audit);
        routes.get(p + "/quotas", r -> api.ok(api.call(r, 400, c -> c.quotas().stream().map(Dtos::quota).toList())));
    }

    private Response list(Request r) throws HttpProblem {
        Instant now = api.context().clock().instant();
        return api.ok(api.call(r, 400, c -> c.agents().stream().map(a -> Dtos.agent(a, now)).toList()));
    }

    private Response drain(Request r, boolean drain) throws HttpProblem {
        String id = r.pathParam("id");
        Instant now = api.context().clock().instant();
        return api.ok(api.call(r, 404, c -> Dtos.agent(c.drain(id, drain), now)));
    }

    private Response audit(Request r) throws HttpProblem {
        Instant now = api.context().clock().instant();
        long sinceMs = Params.longParam(r, "since", now.minusSeconds(3600).toEpochMilli(), 0, Long.MAX_VALUE / 2);
        int limit = Params.intParam(r, "limit", 100, 1, 1_000);
        return api.ok(api.call(r, 400, c -> c.audit(Instant.ofEpochMilli(sinceMs), limit).stream().map(Dtos::audit).toList()));
    }
}
