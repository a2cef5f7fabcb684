package io.drover.web.api;

import io.drover.http.HttpProblem;
import io.drover.http.Request;
import io.drover.http.Response;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import io.drover.sdk.LogStream;
import io.drover.sdk.TaskPage;
import io.drover.web.api.dto.Dtos;
import io.drover.web.api.dto.JobJson;
import io.drover.web.api.dto.JobListJson;
import io.drover.web.api.dto.SubmitJson;
import io.drover.web.api.dto.TaskPageJson;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Jobs: list, one job, its tasks, a task's output, submit and cancel. */
final class JobRoutes {
    /** Filters look at this many of the newest jobs. */
    static final int FILTER_SCAN = 1_000;
    static final Set<String> TASK_STATES = Set.of("PENDING", "RUNNING", "BACKOFF", "SUCCEEDED", "FAILED", "CANCELLED");
    private static final Set<String> JOB_STATES = Arrays.stream(JobState.values()).map(Enum::name)
            .collect(Collectors.toUnmodifiableSet());
    private static final int MAX_LOG_READ = 256 * 1024;

    private final ApiGateway api;

    JobRoutes(ApiGateway api) {
        this.api = api;
    }

    void install(ApiRoutes routes) {
        String p = ApiGateway.PREFIX;
        routes.get(p + "/jobs", this::list);
        routes.post(p + "/jobs", this::submit);
        routes.get(p + "/jobs/{id}", this::job);
        routes.post(p + "/jobs/{id}/cancel", this::cancel);
        routes.get(p + "/jobs/{id}/tasks", this::tasks);
        routes.get(p + "/jobs/{id}/tasks/{task}/log", this::log);
    }

    private Response list(Request r) throws HttpProblem {
        Optional<String> state = Params.oneOf(r, "state", JOB_STATES);
        Optional<String> owner = Params.text(r, "owner");
        Optional<String> name = Params.text(r, "name").map(s -> s.toLowerCase(Locale.ROOT));
        int limit = Params.intParam(r, "limit", 100, 1, FILTER_SCAN);
        boolean filtered = state.isPresent() || owner.isPresent() || name.isPresent();
        int scan = filtered ? FILTER_SCAN : limit;
        List<JobStatus> jobs = api.call(r, 400, c -> c.jobs(scan));
        Instant now = api.context().clock().instant();
        List<JobJson> out = jobs.stream()
                .filter(j -> state.isEmpty() || j.state().name().equals(state.get()))
                .filter(j -> owner.isEmpty() || j.owner().equals(owner.get()))
                .filter(j -> name.isEmpty() || j.name().toLowerCase(Locale.ROOT).contains(name.get()))
                .limit(limit)
                .map(j -> Dtos.job(j, now, rate(j, now)))
                .toList();
        return api.ok(new JobListJson(out, jobs.size()));
    }

    private Response job(Request r) throws HttpProblem {
        String id = r.pathParam("id");
        return api.ok(api.call(r, 404, c -> {
            JobHandle handle = c.job(id);
            JobStatus s = handle.status(false);
            Instant now = api.context().clock().instant();
            return JobDetails.of(handle, s, now, rate(s, now));
        }));
    }

    private Optional<io.drover.web.api.dto.Rate> rate(JobStatus s, Instant now) {
        if (s.state().isTerminal()) {
            api.rates().forget(s.jobId());
            return Optional.empty();
        }
        return api.rates().observe(s.jobId(), s.submittedAt(), s.succeeded() + s.failed(), s.totalTasks(), now);
    }

    private Response tasks(Request r) throws HttpProblem {
        String id = r.pathParam("id");
        int offset = Params.intParam(r, "offset", 0, 0, JobSpec.MAX_SHARDS + 1);
        int limit = Params.intParam(r, "limit", 100, 1, 1_000);
        Optional<String> state = Params.oneOf(r, "state", TASK_STATES);
        // The leader builds only the page (taskPage); pages asked for again within a second are shared.
        api.identify(r);
        Optional<String> token = r.bearerToken();
        byte[] body = api.shared().get(token, "tasks " + id + ' ' + offset + ' ' + limit + ' ' + state.orElse(""), () -> {
            TaskPage p = api.callChecked(token, 404, c -> c.tasks(id, offset, limit, state.orElse(null)));
            return api.json().write(new TaskPageJson(p.jobId(), p.matched(), offset, limit,
                    p.tasks().stream().map(Dtos::task).toList()));
        });
        return Response.json(200, body);
    }

    private Response log(Request r) throws HttpProblem {
        String id = r.pathParam("id");
        int task = Params.taskIndex(r.pathParam("task"));
        String stream = Params.oneOf(r, "stream", Set.of("STDOUT", "STDERR")).orElse("STDOUT");
        long offset = Params.longParam(r, "offset", 0, 0, Long.MAX_VALUE / 2);
        int max = Params.intParam(r, "max", 64 * 1024, 1, MAX_LOG_READ);
        JobStatus s = api.call(r, 404, c -> c.job(id).status(false));
        if (task >= s.totalTasks()) {
            throw HttpProblem.notFound("job " + s.jobId() + " has tasks 0.." + (s.totalTasks() - 1) + "; there is no task "
                    + task);
        }
        LogStream ls = LogStream.valueOf(stream);
        return api.ok(api.call(r, 404, c -> Dtos.log(c.logs(id, task, ls, offset, max), offset)));
    }

    private Response submit(Request r) throws HttpProblem {
        api.identify(r);
        SubmitJson body = api.json().read(r.body(), SubmitJson.class);
        JobSpec spec = SubmitSpecs.spec(body);
        JobJson job = api.call(r, 400, c -> {
            JobHandle h = c.submit(spec);
            JobStatus s = h.status(false);
            return Dtos.job(s, api.context().clock().instant(), Optional.empty());
        });
        return Response.json(201, api.json().write(job))
                .withHeader("Location", ApiGateway.PREFIX + "/jobs/" + java.net.URLEncoder.encode(job.id(),
                        java.nio.charset.StandardCharsets.UTF_8));
    }

    private Response cancel(Request r) throws HttpProblem {
        String id = r.pathParam("id");
        return api.ok(api.call(r, 404, c -> Dtos.job(c.job(id).cancel(), api.context().clock().instant(),
                Optional.empty())));
    }
}
