package io.drover.web.api;

import io.drover.http.HttpProblem;
import io.drover.http.Request;
import io.drover.http.Response;
import io.drover.web.api.dto.Dtos;

/** Schedules: list, one with its history, pause, resume and run now. */
final class ScheduleRoutes {
    private final ApiGateway api;

    ScheduleRoutes(ApiGateway api) {
        this.api = api;
    }

    void install(ApiRoutes routes) {
        String p = ApiGateway.PREFIX;
        routes.get(p + "/schedules", r -> api.ok(api.call(r, 400, c -> c.schedules().stream().map(Dtos::schedule).toList())));
        routes.get(p + "/schedules/{name}", r -> api.ok(api.call(r, 404, c -> Dtos.schedule(c.schedule(r.pathParam("name"))))));
        routes.post(p + "/schedules/{name}/pause",
                r -> api.ok(api.call(r, 404, c -> Dtos.schedule(c.pauseSchedule(r.pathParam("name"))))));
        routes.post(p + "/schedules/{name}/resume",
                r -> api.ok(api.call(r, 404, c -> Dtos.schedule(c.resumeSchedule(r.pathParam("name"))))));
        routes.post(p + "/schedules/{name}/run", this::runNow);
    }

    /** 404 for an unknown schedule; a refusal of an existing one (its overlap policy: FORBID) is a 409. */
    private Response runNow(Request r) throws HttpProblem {
        String name = r.pathParam("name");
        api.call(r, 404, c -> c.schedule(name));
        return api.ok(api.call(r, 409, c -> Dtos.run(c.runScheduleNow(name))));
    }
}
