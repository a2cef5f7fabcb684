package io.drover.coordinator.rpc;

import io.drover.coordinator.core.Event;
import io.drover.coordinator.core.JobDefinition;
import io.drover.coordinator.core.Response;
import io.drover.coordinator.core.ScheduleOp;

/**
 * A request to the core loop and the answer it gets: the one place that pairs an event with its
 * {@link Response} type, so endpoints receive typed answers and never downcast. The core answers
 * any request with {@link Response.Rejected} when it refers to something that does not exist;
 * {@link CoreGateway} turns that into {@code InvalidRequest} before an endpoint sees it.
 *
 * @param <R> the answer's type
 */
record CoreAsk<R extends Response>(Class<R> answer, EventFactory event) {
    /** Builds the event from the request id and the core's "now". */
    @FunctionalInterface
    interface EventFactory {
        Event make(long requestId, long nowMs);
    }

    static CoreAsk<Response.JobSnapshot> job(String jobId, boolean withTasks, boolean withShardResults) {
        return new CoreAsk<>(Response.JobSnapshot.class, (id, now) ->
                new Event.Query(id, now, Event.QueryKind.JOB, jobId, withTasks, withShardResults, 0));
    }

    static CoreAsk<Response.TaskPage> taskPage(String jobId, Event.TaskFilter page) {
        return new CoreAsk<>(Response.TaskPage.class, (id, now) ->
                new Event.Query(id, now, Event.QueryKind.TASK_PAGE, jobId, false, false, 0, page));
    }

    static CoreAsk<Response.JobList> jobs(int limit) {
        return new CoreAsk<>(Response.JobList.class, (id, now) ->
                new Event.Query(id, now, Event.QueryKind.JOBS, null, false, false, limit));
    }

    static CoreAsk<Response.JobDefinitionAnswer> definition(String jobId) {
        return new CoreAsk<>(Response.JobDefinitionAnswer.class, (id, now) ->
                new Event.Query(id, now, Event.QueryKind.JOB_DEFINITION, jobId, false, false, 0));
    }

    /** The jobs and artifacts of the attempts {@code agentId} holds: what it may read. */
    static CoreAsk<Response.AgentHoldings> holdings(String agentId) {
        return new CoreAsk<>(Response.AgentHoldings.class, (id, now) ->
                new Event.Query(id, now, Event.QueryKind.AGENT_HOLDINGS, agentId, false, false, 0));
    }

    static CoreAsk<Response.AgentList> agents() {
        return new CoreAsk<>(Response.AgentList.class, (id, now) ->
                new Event.Query(id, now, Event.QueryKind.AGENTS, null, false, false, 0));
    }

    static CoreAsk<Response.Submitted> submit(JobDefinition definition) {
        return new CoreAsk<>(Response.Submitted.class, (id, now) -> new Event.SubmitJob(id, now, definition));
    }

    static CoreAsk<Response.WorkflowSubmitted> workflow(java.util.List<io.drover.coordinator.core.WorkflowJob> jobs) {
        return new CoreAsk<>(Response.WorkflowSubmitted.class, (id, now) -> new Event.SubmitWorkflow(id, now, jobs));
    }

    /** The ends and results of the jobs {@code jobId} depends on. */
    static CoreAsk<Response.UpstreamResults> upstreamResults(String jobId) {
        return new CoreAsk<>(Response.UpstreamResults.class, (id, now) ->
                new Event.Query(id, now, Event.QueryKind.UPSTREAM_RESULTS, jobId, false, false, 0));
    }

    static CoreAsk<Response.JobSnapshot> cancel(String jobId) {
        return new CoreAsk<>(Response.JobSnapshot.class, (id, now) -> new Event.CancelJob(id, now, jobId));
    }

    static CoreAsk<Response.AgentSnapshot> drain(String agentId, boolean drain) {
        return new CoreAsk<>(Response.AgentSnapshot.class, (id, now) -> new Event.DrainAgent(id, now, agentId, drain));
    }

    static CoreAsk<Response.AgentSnapshot> forget(String agentId) {
        return new CoreAsk<>(Response.AgentSnapshot.class, (id, now) -> new Event.ForgetAgent(id, now, agentId));
    }

    static CoreAsk<Response.TaskLocation> locate(String jobId, int task) {
        return new CoreAsk<>(Response.TaskLocation.class, (id, now) -> new Event.LocateTask(id, now, jobId, task));
    }

    static CoreAsk<Response.ScheduleAnswer> schedule(ScheduleOp op) {
        return new CoreAsk<>(Response.ScheduleAnswer.class, (id, now) -> new Event.ScheduleCommand(id, now, op));
    }

    static CoreAsk<Response.QuotaList> quotas() {
        return new CoreAsk<>(Response.QuotaList.class, (id, now) ->
                new Event.Query(id, now, Event.QueryKind.QUOTAS, null, false, false, 0));
    }

    static CoreAsk<Response.QuotaList> setQuota(String owner, Integer maxRunning, Integer weight) {
        return new CoreAsk<>(Response.QuotaList.class, (id, now) -> new Event.SetQuota(id, now, owner, maxRunning, weight));
    }

    static CoreAsk<Response.QuotaList> removeQuota(String owner) {
        return new CoreAsk<>(Response.QuotaList.class, (id, now) -> new Event.RemoveQuota(id, now, owner));
    }

    /** The core's answer as this ask's type; a different type is a bug in the core, not bad input. */
    R typed(Response response) {
        if (!answer.isInstance(response)) {
            throw new IllegalStateException("the core answered " + response.getClass().getSimpleName() + " where "
                    + answer.getSimpleName() + " belongs");
        }
        return answer.cast(response);
    }
}
