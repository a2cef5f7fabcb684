package io.drover.coordinator.core;

import io.drover.coordinator.core.Response.AgentSnapshot;
import io.drover.coordinator.core.Response.JobSnapshot;
import io.drover.coordinator.core.Response.TaskSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Read-only answers built from the core's state: job, job list, agents, job definitions. */
final class Views {
    private final Deadlines deadlines;
    /** The agents, for why a job waits. */
    private final java.util.function.Supplier<java.util.Collection<AgentRecord>> agents;

    Views(Deadlines deadlines, java.util.function.Supplier<java.util.Collection<AgentRecord>> agents) {
        this.deadlines = deadlines;
        this.agents = agents;
    }

    Response answer(Event.Query q, Scheduler core) {
        return switch (q.kind()) {
            case JOB -> {
                Job job = core.jobs().get(q.id());
                yield job == null ? new Response.Rejected("unknown job " + q.id()) : job(job, q.withTasks(), q.withShardResults(), core);
            }
            case JOB_DEFINITION -> {
                Job job = core.jobs().get(q.id());
                yield job == null ? new Response.Rejected("unknown job " + q.id()) : new Response.JobDefinitionAnswer(job.def);
            }
            case JOBS -> {
                List<Job> all = new ArrayList<>(core.jobs().values());
                int from = Math.max(0, all.size() - Math.max(1, q.limit()));
                List<JobSnapshot> out = new ArrayList<>();
                for (int i = all.size() - 1; i >= from; i--) {
                    out.add(job(all.get(i), false, false, core));
                }
                yield new Response.JobList(out);
            }
            case AGENTS -> {
                List<AgentSnapshot> out = new ArrayList<>();
                core.agents().values().forEach(a -> out.add(agent(a, q.nowMs(), core)));
                yield new Response.AgentList(out);
            }
            case ARTIFACT_REFS -> {
                java.util.Set<String> refs = new java.util.HashSet<>();
                core.jobs().values().forEach(j -> addRef(refs, j.def));
                core.schedules().templates().forEach(t -> addRef(refs, t));
                yield new Response.ArtifactRefs(refs);
            }
            case RESULT_BLOB_REFS -> {
                java.util.Set<String> refs = new java.util.HashSet<>();
                for (Job j : core.jobs().values()) {
                    if (j.resultBlob != null) {
                        refs.add(j.resultBlob.sha256());
                    }
                    j.addTaskBlobRefs(refs);
                }
                yield new Response.ArtifactRefs(refs);
            }
            case AGENT_HOLDINGS -> holdings(q.id(), core);
            case TASK_PAGE -> {
                Job job = core.jobs().get(q.id());
                yield job == null ? new Response.Rejected("unknown job " + q.id()) : taskPage(job, q.page());
            }
            case UPSTREAM_RESULTS -> upstreamResults(q.id(), core);
            case QUOTAS -> new Response.QuotaList(core.quotas().usage(core.ready().runnable()));
        };
    }

    /** One scan of the job's tasks, building snapshots only for the page: the core's thread never copies them all. */
    static Response.TaskPage taskPage(Job job, Event.TaskFilter page) {
        List<TaskSnapshot> out = new ArrayList<>(Math.min(page.limit(), job.taskCount()));
        int matched = 0;
        for (int i = 0; i < job.taskCount(); i++) {
            if (page.state() != null && job.taskState(i) != page.state()) {
                continue;
            }
            if (matched >= page.offset() && out.size() < page.limit()) {
                out.add(snapshot(job.task(i)));
            }
            matched++;
        }
        return new Response.TaskPage(job.def.jobId(), matched, page.offset(), out);
    }

    private static TaskSnapshot snapshot(Task t) {
        // The agent running it, else the one its newest attempt went to (soft state: a new leader knows it only
        // for attempts re-reported to it).
        return new TaskSnapshot(t.index, t.state, t.attempts, t.agentId != null ? t.agentId : t.lastAgentId, t.error,
                t.backups, t.backupWon);
    }

    /** The jobs (and their artifacts and the result blobs they read) of the live attempts {@code agentId} holds. */
    private static Response.AgentHoldings holdings(String agentId, Scheduler core) {
        java.util.Set<String> jobIds = new java.util.HashSet<>();
        java.util.Set<String> artifacts = new java.util.HashSet<>();
        java.util.Set<String> blobs = new java.util.HashSet<>();
        AgentRecord agent = core.agents().get(agentId);
        if (agent != null) {
            for (Long attemptId : agent.attempts) {
                AttemptLedger.AttemptRef ref = core.attempt(attemptId);
                if (ref == null) {
                    continue;
                }
                if (jobIds.add(ref.job().def.jobId())) {
                    addRef(artifacts, ref.job().def);
                    upstreamBlobs(ref.job(), core, blobs);
                }
                if (ref.job().isReduceTask(ref.task())) {
                    reduceInputBlobs(ref.job(), blobs); // only the reduce task reads them: no walk over shards otherwise
                }
            }
        }
        return new Response.AgentHoldings(agentId, jobIds, artifacts, blobs);
    }

    private static void reduceInputBlobs(Job job, java.util.Set<String> out) {
        job.addTaskBlobRefs(out);
    }

    /** The result blobs of the jobs {@code job} depends on. */
    private static void upstreamBlobs(Job job, Scheduler core, java.util.Set<String> out) {
        for (Dependency d : job.def.dependencies()) {
            Job up = core.jobs().get(d.jobId());
            if (up != null && up.resultBlob != null) {
                out.add(up.resultBlob.sha256());
            }
        }
    }

    private static void addRef(java.util.Set<String> refs, JobDefinition def) {
        if (def.artifactSha256() != null) {
            refs.add(def.artifactSha256());
        }
    }

    /** Where the task's newest attempt ran (soft state: a new leader knows only attempts re-reported to it). */
    Response locate(Event.LocateTask e, Scheduler core) {
        Job job = core.jobs().get(e.jobId());
        if (job == null) {
            return new Response.Rejected("unknown job " + e.jobId());
        }
        if (e.task() < 0 || e.task() >= job.taskCount()) {
            return new Response.Rejected("job " + e.jobId() + " has tasks 0.." + (job.taskCount() - 1)
                    + (job.def.reduce() ? " (task " + job.def.shardCount() + " is the reduce step)" : "")
                    + "; there is no task " + e.task());
        }
        Task t = job.task(e.task());
        AgentRecord agent = t.lastAgentId == null ? null : core.agents().get(t.lastAgentId);
        return new Response.TaskLocation(job.def.jobId(), t.index, t.attempts, t.lastAttemptId, t.lastAgentId,
                agent == null ? null : agent.state, t.state.isTerminal() || job.state.isTerminal());
    }

    JobSnapshot job(Job job, boolean withTasks, boolean withShardResults, Scheduler core) {
        List<TaskSnapshot> tasks = List.of();
        if (withTasks) {
            tasks = new ArrayList<>(job.taskCount());
            for (int i = 0; i < job.taskCount(); i++) {
                tasks.add(snapshot(job.task(i)));
            }
        }
        List<byte[]> shardResults = List.of();
        Map<Integer, ResultBlob> shardBlobs = new HashMap<>();
        if (withShardResults && !job.def.reduce() && job.state == JobState.SUCCEEDED) {
            shardResults = new ArrayList<>(job.def.shardCount());
            for (int i = 0; i < job.def.shardCount(); i++) {
                shardResults.add(job.taskValue(i));
                ResultBlob blob = job.taskBlob(i);
                if (blob != null) {
                    shardBlobs.put(i, blob);
                }
            }
        }
        int pending = job.count(TaskState.PENDING) + job.count(TaskState.BACKOFF);
        PlacementWait waiting = job.state.isTerminal() || pending == 0 ? null : PlacementWait.of(job.def, agents.get());
        QueueWait queued = waiting == null ? core.quotas().waitOf(job, core.ready().runnable()) : null;
        return new JobSnapshot(job.def, job.state, job.count(TaskState.SUCCEEDED), job.count(TaskState.FAILED),
                job.count(TaskState.RUNNING), pending, job.error, job.result, job.endedAtMs, tasks, shardResults,
                job.resultCodec, waiting, upstream(job, core), queued, job.resultBlob, shardBlobs,
                job.backupsStarted, job.backupsWon);
    }

    private static List<Response.UpstreamStatus> upstream(Job job, Scheduler core) {
        if (job.def.dependencies().isEmpty()) {
            return List.of();
        }
        List<Response.UpstreamStatus> out = new ArrayList<>(job.def.dependencies().size());
        for (Dependency d : job.def.dependencies()) {
            Job up = core.jobs().get(d.jobId());
            out.add(new Response.UpstreamStatus(d.jobId(), up == null ? null : up.def.name(), d.condition(),
                    up == null ? null : up.state));
        }
        return out;
    }

    /** Upstream ends and results for a dependant's tasks; only for a job that runs (its upstream jobs ended). */
    private static Response upstreamResults(String jobId, Scheduler core) {
        Job job = core.jobs().get(jobId);
        if (job == null) {
            return new Response.Rejected("unknown job " + jobId);
        }
        if (job.state == JobState.WAITING) {
            return new Response.Rejected("job " + jobId + " is still waiting for its upstream jobs");
        }
        List<Response.UpstreamResult> out = new ArrayList<>(job.def.dependencies().size());
        for (Dependency d : job.def.dependencies()) {
            Job up = core.jobs().get(d.jobId());
            out.add(up == null ? new Response.UpstreamResult(d.jobId(), null, null, null)
                    // A result kept as a blob goes by its reference, never as its empty inline stand-in.
                    : new Response.UpstreamResult(d.jobId(), up.def.name(), up.state,
                            up.resultBlob != null ? null : up.result, up.resultBlob));
        }
        return new Response.UpstreamResults(jobId, out);
    }

    AgentSnapshot agent(AgentRecord a, long now, Scheduler core) {
        List<JobDefinition> attemptJobs = new ArrayList<>(a.attempts.size());
        for (Long attemptId : a.attempts) {
            AttemptLedger.AttemptRef ref = core.attempt(attemptId);
            if (ref != null) {
                attemptJobs.add(ref.job().def);
            }
        }
        Long silentFor = a.state == AgentState.ALIVE ? null : Math.max(0, now - a.lastSeenMs);
        return new AgentSnapshot(a.id, a.host, a.state, a.draining(), a.slots, a.attempts.size(), a.lastSeenMs,
                a.labels, a.completed, silentFor, a.pool(), PendingAction.of(a, attemptJobs, deadlines, now),
                a.softwareVersion);
    }
}
