package io.drover.coordinator.core;

import io.drover.coordinator.core.Event.Outcome;
import io.drover.coordinator.core.Response.Assignment;
import io.drover.coordinator.core.Response.HeartbeatAnswer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scheduling core: a deterministic state machine owned by one thread. It takes
 * {@link Event}s and writes {@link Effects}: facts to persist before anything else leaves, and
 * replies. It knows nothing of ZooKeeper, Thrift, threads or clocks.
 *
 * <p>Durable: job definitions, committed results, permanent failures, job ends (as {@link Fact}s).
 * Soft: which agent runs which attempt, rebuilt from heartbeats after a failover: during the
 * recovery window the core only adopts attempts that agents re-report, so work that is running
 * is not started twice.
 *
 * <p>A task commits at most one result: the first successful report for a non-terminal task wins,
 * from whichever attempt or epoch it comes; later reports are acknowledged and dropped, and
 * other attempts of the task are cancelled.
 */
public final class Scheduler {
    private final SchedulerConfig config;
    private final long epoch;
    private long attemptSeq;
    private long jobSeq;
    private long jobOrder;
    private final long assignNotBeforeMs;

    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Map<String, String> jobIdByKey = new HashMap<>();
    private final Map<String, AgentRecord> agents = new LinkedHashMap<>();
    private final Set<AgentRecord> parked = new LinkedHashSet<>();
    private final Map<Long, AttemptRef> attempts = new HashMap<>();
    private final Map<String, Integer> runningByOwner = new HashMap<>();
    private final ReadyQueue ready = new ReadyQueue();
    private final Views views;
    private final Deadlines deadlines;
    private final Schedules schedules = new Schedules(this);

    record AttemptRef(long attemptId, Job job, int task, String agentId) {
    }

    /**
     * A core for a leader that just took over at {@code epoch}, loaded with the durable facts.
     * Jobs whose facts show they are done but have no end fact yet are finished into {@code out}.
     */
    public Scheduler(SchedulerConfig config, long epoch, Collection<RecoveredJob> recovered, long nowMs, Effects out) {
        this(config, epoch, new RecoveredState(List.copyOf(recovered), List.of()), nowMs, out);
    }

    /**
     * A core for a new leader. Assignment waits for the recovery window, or less: as soon as
     * every agent known from the durable facts has re-reported what it runs.
     */
    public Scheduler(SchedulerConfig config, long epoch, RecoveredState recovered, long nowMs, Effects out) {
        this.config = config;
        this.epoch = epoch;
        this.deadlines = new Deadlines(config);
        this.views = new Views(deadlines);
        this.assignNotBeforeMs = recovered.jobs().isEmpty() ? nowMs : nowMs + config.recoveryWindowMs();
        for (RecoveredAgent a : recovered.agents()) {
            AgentRecord agent = new AgentRecord(a.agentId(), a.host(), a.slots(), a.labels(), nowMs);
            agent.awaitingRecovery = true;
            agent.state = AgentState.SUSPECT;
            agents.put(a.agentId(), agent);
            awaitingRecovery++;
        }
        for (RecoveredJob r : recovered.jobs()) {
            restore(r, nowMs, out);
        }
        for (RecoveredAgent a : recovered.agents()) {
            if (a.silentSinceMs() > 0) {
                restoreSilence(agents.get(a.agentId()), a, nowMs);
            }
        }
        schedules.restore(recovered.schedules(), nowMs);
    }

    /**
     * The agent was silent at the last word about it, running {@code held}: its silence counts from
     * then, and what it held is left alone as the policy says, not run again when the window closes.
     */
    private void restoreSilence(AgentRecord agent, RecoveredAgent recovered, long nowMs) {
        agent.lastSeenMs = Math.min(nowMs, recovered.silentSinceMs());
        agent.silenceRecorded = true;
        for (Fact.HeldAttempt held : recovered.held()) {
            Job job = jobs.get(held.jobId());
            Task t = job == null || held.task() < 0 || held.task() >= job.tasks.length ? null : job.tasks[held.task()];
            if (t == null || t.state != TaskState.PENDING || job.state.isTerminal() || attempts.containsKey(held.attemptId())) {
                continue;
            }
            ready.takeToRunning(job, t);
            t.attempts++;
            t.assignedAtMs = agent.lastSeenMs;
            attach(job, t, held.attemptId(), agent);
        }
    }

    private int awaitingRecovery;

    private boolean recovering(long now) {
        return now < assignNotBeforeMs && awaitingRecovery > 0;
    }

    private void recovered(AgentRecord agent) {
        if (agent.awaitingRecovery) {
            agent.awaitingRecovery = false;
            awaitingRecovery--;
        }
    }

    public long epoch() {
        return epoch;
    }

    /** Handles one event; the shell persists {@code out.facts()} before sending {@code out.replies()}. */
    public void apply(Event event, Effects out) {
        if (event instanceof Event.Heartbeat e) {
            heartbeat(e, out);
        } else if (event instanceof Event.SubmitJob e) {
            submit(e, out);
        } else if (event instanceof Event.Query e) {
            out.reply(e.requestId(), views.answer(e, this));
        } else if (event instanceof Event.Tick e) {
            tick(e.nowMs(), out);
        } else if (event instanceof Event.RegisterAgent e) {
            register(e, out);
        } else if (event instanceof Event.CancelJob e) {
            cancel(e, out);
        } else if (event instanceof Event.DrainAgent e) {
            drain(e, out);
        } else if (event instanceof Event.ForgetAgent e) {
            forget(e, out);
        } else if (event instanceof Event.ScheduleCommand e) {
            schedules.apply(e, out);
        } else if (event instanceof Event.AgentDisconnected e) {
            disconnected(e, out);
        } else if (event instanceof Event.LocateTask e) {
            out.reply(e.requestId(), views.locate(e, this));
        } else if (event instanceof Event.WakeAgent e) {
            wake(e, out);
        } else {
            throw new IllegalArgumentException("unknown event " + event);
        }
        if (!(event instanceof Event.Query) && !(event instanceof Event.LocateTask)) {
            wakeParked(event.nowMs(), out);
        }
    }

    // ------------------------------------------------------------------ jobs

    private void submit(Event.SubmitJob e, Effects out) {
        JobDefinition d = e.definition();
        String key = d.owner() + "/" + d.idempotencyKey();
        String existing = jobIdByKey.get(key);
        if (existing != null) {
            out.reply(e.requestId(), new Response.Submitted(existing, true));
            return;
        }
        String jobId = "j" + epoch + "-" + (++jobSeq);
        JobDefinition accepted = d.withJobId(jobId, e.nowMs());
        Job job = addJob(accepted);
        for (int i = 0; i < accepted.shardCount(); i++) {
            ready.add(job, job.tasks[i]);
        }
        out.persist(new Fact.JobAccepted(accepted));
        out.reply(e.requestId(), new Response.Submitted(jobId, false));
        evictFinishedJobs();
    }

    private Job addJob(JobDefinition def) {
        Job job = new Job(def, ++jobOrder);
        jobs.put(def.jobId(), job);
        jobIdByKey.put(def.owner() + "/" + def.idempotencyKey(), def.jobId());
        return job;
    }

    private void restore(RecoveredJob r, long nowMs, Effects out) {
        Job job = addJob(r.definition());
        r.committed().forEach((task, value) -> {
            Task t = job.tasks[task];
            t.value = value;
            job.move(t, TaskState.RUNNING);
            job.move(t, TaskState.SUCCEEDED);
        });
        r.failed().forEach((task, error) -> {
            Task t = job.tasks[task];
            t.error = error;
            job.move(t, TaskState.RUNNING);
            job.move(t, TaskState.FAILED);
        });
        if (r.end() != null) {
            job.state = r.end().state();
            job.error = r.end().error();
            job.result = r.end().result();
            job.endedAtMs = r.end().endedAtMs();
            for (Task t : job.nonTerminalTasks()) {
                job.move(t, TaskState.CANCELLED);
            }
            return;
        }
        if (!r.failed().isEmpty()) {
            Task first = job.tasks[r.failed().keySet().iterator().next()];
            failJob(job, "task " + first.index + " failed: " + first.error, nowMs, out);
            return;
        }
        for (int i = 0; i < job.def.shardCount(); i++) {
            if (job.tasks[i].state == TaskState.PENDING) {
                ready.add(job, job.tasks[i]);
            }
        }
        afterShardProgress(job, nowMs, out);
    }

    private void cancel(Event.CancelJob e, Effects out) {
        Job job = jobs.get(e.jobId());
        if (job == null) {
            out.reply(e.requestId(), new Response.Rejected("unknown job " + e.jobId()));
            return;
        }
        if (!job.state.isTerminal()) {
            endJob(job, JobState.CANCELLED, "cancelled by user", null, e.nowMs(), out);
        }
        out.reply(e.requestId(), views.job(job, false, false));
    }

    /** Records that all shards (or the reduce task) are done, moving the job on. */
    private void afterShardProgress(Job job, long nowMs, Effects out) {
        if (job.state != JobState.RUNNING || job.shardsSucceeded < job.def.shardCount()) {
            return;
        }
        if (job.def.reduce()) {
            job.state = job.state.to(JobState.REDUCING);
            ready.add(job, job.tasks[job.def.shardCount()]);
        } else {
            byte[] single = job.def.shardCount() == 1 ? job.tasks[0].value : null;
            endJob(job, JobState.SUCCEEDED, null, single, nowMs, out);
        }
    }

    private void failJob(Job job, String error, long nowMs, Effects out) {
        endJob(job, JobState.FAILED, error, null, nowMs, out);
    }

    private void endJob(Job job, JobState state, String error, byte[] result, long nowMs, Effects out) {
        job.state = job.state.to(state);
        job.error = error;
        job.result = result;
        job.endedAtMs = nowMs;
        ready.drop(job);
        for (Task t : job.nonTerminalTasks()) {
            if (t.state == TaskState.RUNNING) {
                cancelAttempt(t.attemptId);
            }
            job.move(t, TaskState.CANCELLED);
        }
        out.persist(new Fact.JobEnded(job.def.jobId(), state, error, result, nowMs));
        out.note("job " + job.def.jobId() + " '" + job.def.name() + "' " + state + " after " + (nowMs - job.def.submittedAtMs())
                + " ms" + (error == null ? "" : ": " + error));
        schedules.jobEnded(job.def.jobId(), state, nowMs);
    }

    private void evictFinishedJobs() {
        int finished = 0;
        for (Job j : jobs.values()) {
            if (j.state.isTerminal()) {
                finished++;
            }
        }
        Iterator<Job> it = jobs.values().iterator();
        while (finished > config.retainFinishedJobs() && it.hasNext()) {
            Job j = it.next();
            if (j.state.isTerminal()) {
                it.remove();
                finished--;
            }
        }
    }

    // ------------------------------------------------------------------ agents

    private void register(Event.RegisterAgent e, Effects out) {
        AgentRecord agent = agents.get(e.agentId());
        if (agent == null || agent.slots != e.slots() || !agent.labels.equals(e.labels())
                || !java.util.Objects.equals(agent.host, e.host())) {
            out.persist(new Fact.AgentRegistered(e.agentId(), e.host(), e.slots(), e.labels()));
        }
        if (agent == null) {
            agent = new AgentRecord(e.agentId(), e.host(), e.slots(), e.labels(), e.nowMs());
            agents.put(e.agentId(), agent);
            agent.softwareVersion = e.softwareVersion();
        } else {
            recovered(agent);
            // A registration means the agent (re)started: what we thought it ran is gone.
            releaseAttempts(agent, e.nowMs());
            heardAgain(agent, out);
            agent.host = e.host();
            agent.slots = e.slots();
            agent.labels = Map.copyOf(e.labels());
            agent.softwareVersion = e.softwareVersion();
            agent.state = AgentState.ALIVE;
            agent.lastSeenMs = e.nowMs();
        }
        out.reply(e.requestId(), new Response.Registered(e.agentId()));
    }

    private void drain(Event.DrainAgent e, Effects out) {
        AgentRecord agent = agents.get(e.agentId());
        if (agent == null) {
            out.reply(e.requestId(), new Response.Rejected("unknown agent " + e.agentId()));
            return;
        }
        agent.adminDrained = e.drain();
        out.reply(e.requestId(), views.agent(agent, e.nowMs(), this));
    }

    private void forget(Event.ForgetAgent e, Effects out) {
        AgentRecord agent = agents.get(e.agentId());
        if (agent == null) {
            out.reply(e.requestId(), new Response.Rejected("unknown agent " + e.agentId()));
            return;
        }
        releaseAttempts(agent, e.nowMs());
        if (agent.isParked()) {
            unpark(agent, new HeartbeatAnswer(List.of(), List.of(), List.of(), true), out);
        }
        recovered(agent);
        agents.remove(agent.id);
        agent.state = AgentState.LOST;
        out.persist(new Fact.AgentForgotten(agent.id));
        out.reply(e.requestId(), views.agent(agent, e.nowMs(), this));
    }

    /**
     * One of an agent's connections closed. If it is alive, its parked poll (answered now, empty)
     * comes straight back and clears the mark; if it is dead, nothing comes back and its work
     * moves after the disconnect grace. (A parked poll cannot itself notice its socket closing:
     * the server does not read a connection while a call on it is pending.)
     */
    private void disconnected(Event.AgentDisconnected e, Effects out) {
        AgentRecord agent = agents.get(e.agentId());
        if (agent == null || agent.lastSeenMs > e.nowMs()) {
            return;
        }
        if (agent.isParked()) {
            unpark(agent, HeartbeatAnswer.EMPTY, out);
        }
        agent.disconnectedAtMs = e.nowMs();
        agent.nextRequeueAtMs = 0;
        if (agent.state == AgentState.ALIVE) {
            agent.state = AgentState.SUSPECT;
            out.note("agent " + agent.id + " SUSPECT: a connection closed; lost unless it is back within "
                    + deadlines.policy(agent).disconnectGraceMs() + " ms");
            wentSilent(agent, out);
        }
    }

    private void heartbeat(Event.Heartbeat e, Effects out) {
        AgentRecord agent = agents.get(e.agentId());
        if (agent == null) {
            out.reply(e.requestId(), new HeartbeatAnswer(List.of(), List.of(), List.of(), true));
            return;
        }
        long now = e.nowMs();
        recovered(agent);
        if (agent.state != AgentState.ALIVE) {
            out.note("agent " + agent.id + " ALIVE again (was " + agent.state + ", silent " + (now - agent.lastSeenMs)
                    + " ms" + (agent.attempts.isEmpty() ? "" : ", " + agent.attempts.size() + " attempts still its own") + ")");
        }
        agent.lastSeenMs = now;
        agent.disconnectedAtMs = 0;
        agent.nextRequeueAtMs = 0;
        agent.requeuedWhenLost = 0;
        agent.state = AgentState.ALIVE;
        heardAgain(agent, out);
        agent.selfDraining = e.draining();
        List<Long> acks = new ArrayList<>(e.results().size());
        int dropped = 0;
        for (Event.Report report : e.results()) {
            if (!onReport(agent, report, now, out) && report.outcome() == Outcome.SUCCEEDED) {
                dropped++;
            }
            acks.add(report.attemptId());
        }
        if (dropped > 0) {
            out.note("agent " + agent.id + " delivered " + dropped + " results for tasks already committed; acknowledged and dropped");
        }
        Set<Long> known = new HashSet<>(acks);
        for (Event.RunningAttempt running : e.running()) {
            // A heartbeat may still list as running an attempt whose result it carries (the agent
            // drops it from its running set just after queueing the result): the result is newer.
            // Adopting it would attach a given-back or failed attempt to the agent again.
            if (known.add(running.attemptId())) {
                reconcileRunning(agent, running, now);
            }
        }
        forgetVanishedAttempts(agent, known, now);
        List<Assignment> assignments = assign(agent, now);
        HeartbeatAnswer answer = new HeartbeatAnswer(assignments, drainCancels(agent), acks, false,
                deadlines.policy(agent).offlineStopAfterMs());
        boolean woken = agent.wakeRequested;
        agent.wakeRequested = false;
        if (e.maxWaitMs() <= 0 || !answer.isEmpty() || woken) {
            out.reply(e.requestId(), answer);
            return;
        }
        if (agent.isParked()) {
            unpark(agent, HeartbeatAnswer.EMPTY, out); // a newer poll supersedes it
        }
        agent.parkedRequest = e.requestId();
        agent.parkedDeadlineMs = now + e.maxWaitMs();
        parked.add(agent);
    }

    /** Handles one reported outcome; false when it was a duplicate or late report that changed nothing. */
    private boolean onReport(AgentRecord agent, Event.Report r, long now, Effects out) {
        AttemptRef ref = attempts.remove(r.attemptId());
        if (ref != null) {
            freeSlot(ref);
        }
        Job job = jobs.get(r.jobId());
        if (job == null || r.task() < 0 || r.task() >= job.tasks.length) {
            return false;
        }
        Task t = job.tasks[r.task()];
        if (t.state.isTerminal() || job.state.isTerminal()) {
            return false; // duplicate or late: acknowledged, never committed twice
        }
        boolean current = t.state == TaskState.RUNNING && t.attemptId == r.attemptId();
        if (r.outcome() == Outcome.SUCCEEDED) {
            agent.completed++;
            commit(job, t, r, now, out);
            return true;
        }
        if (!current) {
            return false; // a stale attempt's failure says nothing about the current one
        }
        detachCurrent(job, t);
        switch (r.outcome()) {
            case CANCELLED -> {
                t.attempts--; // the agent gave it back (shutdown): not the task's fault
                job.move(t, TaskState.PENDING);
                ready.add(job, t);
            }
            case REJECTED -> {
                t.error = r.error();
                job.move(t, TaskState.FAILED);
                out.persist(new Fact.TaskFailed(job.def.jobId(), t.index, t.error));
                failJob(job, "task " + t.index + " rejected by agent " + agent.id + ": " + r.error(), now, out);
            }
            default -> retryOrFail(job, t, r.outcome() + ": " + r.error(), now, out);
        }
        return true;
    }

    private void commit(Job job, Task t, Event.Report r, long now, Effects out) {
        if (t.state == TaskState.RUNNING && t.attemptId != r.attemptId()) {
            cancelAttempt(t.attemptId); // first result wins; the other attempt is a loser
        }
        if (t.state == TaskState.RUNNING) {
            if (t.attemptId == r.attemptId() && t.assignedAtMs > 0) {
                out.observeDispatch(now - t.assignedAtMs);
            }
            detachCurrent(job, t);
            job.move(t, TaskState.SUCCEEDED);
        } else if (t.state == TaskState.PENDING) {
            ready.takeToRunning(job, t);
            job.move(t, TaskState.SUCCEEDED);
        } else {
            job.move(t, TaskState.SUCCEEDED); // from BACKOFF; its heap entry goes stale
        }
        t.value = r.value() == null ? new byte[0] : r.value();
        t.error = null;
        out.persist(new Fact.TaskCommitted(job.def.jobId(), t.index, r.attemptId(), t.value));
        if (job.isReduceTask(t.index)) {
            endJob(job, JobState.SUCCEEDED, null, t.value, now, out);
        } else {
            afterShardProgress(job, now, out);
        }
    }

    private void retryOrFail(Job job, Task t, String error, long now, Effects out) {
        t.error = error;
        if (t.attempts >= job.def.maxAttempts()) {
            job.move(t, TaskState.FAILED);
            out.persist(new Fact.TaskFailed(job.def.jobId(), t.index, error));
            failJob(job, "task " + t.index + " failed after " + t.attempts + " attempts: " + error, now, out);
            return;
        }
        job.move(t, TaskState.BACKOFF);
        ready.retryAt(now + config.backoffMs(t.attempts), job, t, t.attemptId);
    }

    /** An agent says it runs an attempt: adopt it if nobody else runs the task, else cancel it. */
    private void reconcileRunning(AgentRecord agent, Event.RunningAttempt running, long now) {
        if (attempts.containsKey(running.attemptId())) {
            return;
        }
        Job job = jobs.get(running.jobId());
        Task t = job == null || running.task() < 0 || running.task() >= job.tasks.length ? null : job.tasks[running.task()];
        if (t == null || t.state != TaskState.PENDING || job.state.isTerminal()) {
            agent.pendingCancels.add(running.attemptId());
            return;
        }
        ready.takeToRunning(job, t);
        t.attempts++;
        t.assignedAtMs = now;
        attach(job, t, running.attemptId(), agent);
    }

    /**
     * Attempts we assigned to this agent long ago that it neither runs nor reported: the
     * assignment never arrived (lost reply, agent restarted unseen). Their tasks run again.
     */
    private void forgetVanishedAttempts(AgentRecord agent, Set<Long> known, long now) {
        for (Long attemptId : List.copyOf(agent.attempts)) {
            AttemptRef ref = attempts.get(attemptId);
            if (ref == null || known.contains(attemptId)) {
                continue;
            }
            Task t = ref.job().tasks[ref.task()];
            if (now - t.assignedAtMs >= deadlines.boundFor(agent, ref.job().def)) {
                attempts.remove(attemptId);
                freeSlot(ref);
                if (t.state == TaskState.RUNNING && t.attemptId == attemptId) {
                    t.agentId = null;
                    ref.job().move(t, TaskState.PENDING);
                    ready.add(ref.job(), t);
                }
            }
        }
    }

    private List<Assignment> assign(AgentRecord agent, long now) {
        if (!agent.acceptsWork() || recovering(now) || ready.isEmpty()) {
            return List.of();
        }
        long eligible = agents.values().stream().filter(AgentRecord::acceptsWork).count();
        long fairShare = Math.max(1, (ready.size() + eligible - 1) / Math.max(1, eligible));
        List<Assignment> out = new ArrayList<>();
        while (out.size() < fairShare) {
            Job job = ready.pick(agent, runningByOwner);
            if (job == null) {
                break;
            }
            Task t = ready.poll(job);
            long attemptId = (epoch << 40) | (++attemptSeq);
            job.move(t, TaskState.RUNNING);
            t.attempts++;
            t.assignedAtMs = now;
            attach(job, t, attemptId, agent);
            out.add(assignment(job, t, attemptId));
        }
        return out;
    }

    private Assignment assignment(Job job, Task t, long attemptId) {
        boolean reduce = job.isReduceTask(t.index);
        String parameter = reduce || job.def.shardParameters().isEmpty() ? null : job.def.shardParameters().get(t.index);
        List<byte[]> inputs = null;
        if (reduce) {
            inputs = new ArrayList<>(job.def.shardCount());
            for (int i = 0; i < job.def.shardCount(); i++) {
                inputs.add(job.tasks[i].value);
            }
        }
        return new Assignment(attemptId, job.def.jobId(), t.index, parameter, reduce, inputs);
    }

    private void attach(Job job, Task t, long attemptId, AgentRecord agent) {
        t.attemptId = attemptId;
        t.agentId = agent.id;
        t.lastAttemptId = attemptId;
        t.lastAgentId = agent.id;
        attempts.put(attemptId, new AttemptRef(attemptId, job, t.index, agent.id));
        agent.attempts.add(attemptId);
        agent.usedSlots += job.def.slotsPerTask();
        runningByOwner.merge(job.def.owner(), 1, Integer::sum);
    }

    /** Forgets the task's current attempt (it ended); its slot was freed by onReport. */
    private void detachCurrent(Job job, Task t) {
        AttemptRef ref = attempts.remove(t.attemptId);
        if (ref != null) {
            freeSlot(ref);
        }
        t.agentId = null;
    }

    private void freeSlot(AttemptRef ref) {
        AgentRecord agent = agents.get(ref.agentId());
        if (agent != null && agent.attempts.remove(ref.attemptId())) {
            agent.usedSlots -= ref.job().def.slotsPerTask();
        }
        runningByOwner.merge(ref.job().def.owner(), -1, Integer::sum);
    }

    /** Cancels an attempt: the agent is told on its next heartbeat, the slot is freed now. */
    private void cancelAttempt(long attemptId) {
        AttemptRef ref = attempts.remove(attemptId);
        if (ref == null) {
            return;
        }
        AgentRecord agent = agents.get(ref.agentId());
        if (agent != null) {
            agent.pendingCancels.add(attemptId);
        }
        freeSlot(ref);
    }

    private List<Long> drainCancels(AgentRecord agent) {
        if (agent.pendingCancels.isEmpty()) {
            return List.of();
        }
        List<Long> out = List.copyOf(agent.pendingCancels);
        agent.pendingCancels.clear();
        return out;
    }

    /** The agent's attempts are gone (restarted, forgotten): their tasks run again. */
    private void releaseAttempts(AgentRecord agent, long now) {
        for (Long attemptId : List.copyOf(agent.attempts)) {
            release(attemptId);
        }
        agent.attempts.clear();
        agent.usedSlots = 0;
        agent.pendingCancels.clear();
    }

    /** Takes one attempt away from its agent; its task runs again unless another attempt took it over. */
    private void release(long attemptId) {
        AttemptRef ref = attempts.remove(attemptId);
        if (ref == null) {
            return;
        }
        freeSlot(ref);
        Task t = ref.job().tasks[ref.task()];
        if (t.state == TaskState.RUNNING && t.attemptId == attemptId) {
            t.agentId = null;
            ref.job().move(t, TaskState.PENDING);
            ready.add(ref.job(), t);
        }
    }

    /**
     * Re-queues the silent agent's attempts that are due by the policy (or their job's override)
     * and notes when the next one is due. Returns how many were re-queued.
     */
    private int requeueDue(AgentRecord agent, long now) {
        int requeued = 0;
        long next = Long.MAX_VALUE;
        for (Long attemptId : List.copyOf(agent.attempts)) {
            AttemptRef ref = attempts.get(attemptId);
            if (ref == null) {
                continue;
            }
            long due = deadlines.requeueAt(agent, ref.job().def);
            if (now >= due) {
                release(attemptId);
                requeued++;
            } else {
                next = Math.min(next, due);
            }
        }
        agent.nextRequeueAtMs = next;
        return requeued;
    }

    /** The agent stopped being ALIVE: what it runs is recorded, so a new leader leaves it alone too. */
    private void wentSilent(AgentRecord agent, Effects out) {
        agent.nextRequeueAtMs = 0;
        if (agent.attempts.isEmpty()) {
            return;
        }
        out.persist(new Fact.AgentSilent(agent.id, agent.lastSeenMs, held(agent)));
        agent.silenceRecorded = true;
    }

    private List<Fact.HeldAttempt> held(AgentRecord agent) {
        List<Fact.HeldAttempt> held = new ArrayList<>(agent.attempts.size());
        for (Long attemptId : agent.attempts) {
            AttemptRef ref = attempts.get(attemptId);
            if (ref != null) {
                held.add(new Fact.HeldAttempt(attemptId, ref.job().def.jobId(), ref.task()));
            }
        }
        return held;
    }

    private void heardAgain(AgentRecord agent, Effects out) {
        if (agent.silenceRecorded) {
            agent.silenceRecorded = false;
            out.persist(new Fact.AgentHeard(agent.id));
        }
    }

    // ------------------------------------------------------------------ time

    private void tick(long now, Effects out) {
        for (AgentRecord agent : agents.values()) {
            if (agent.isParked()) {
                agent.lastSeenMs = Math.max(agent.lastSeenMs, Math.min(now, agent.parkedDeadlineMs));
                if (now >= agent.parkedDeadlineMs) {
                    unpark(agent, HeartbeatAnswer.EMPTY, out);
                }
                continue;
            }
            long silent = now - agent.lastSeenMs;
            if (agent.state != AgentState.LOST && now >= deadlines.lostAt(agent)) {
                boolean byDisconnect = deadlines.lostByDisconnect(agent);
                AgentState was = agent.state;
                agent.state = AgentState.LOST;
                int requeued = requeueDue(agent, now);
                agent.requeuedWhenLost = requeued;
                if (was == AgentState.ALIVE) {
                    wentSilent(agent, out);
                }
                out.note("agent " + agent.id + " LOST (" + (byDisconnect ? "connection dropped "
                        + (now - agent.disconnectedAtMs) + " ms ago" : "silent for " + silent + " ms")
                        + "): " + requeued + " attempts re-queued"
                        + (agent.attempts.isEmpty() ? "" : ", " + agent.attempts.size() + " left alone longer by their job's --lost-after"));
            } else if (agent.state == AgentState.ALIVE && silent >= config.suspectAfterMs()) {
                agent.state = AgentState.SUSPECT;
                out.note("agent " + agent.id + " SUSPECT: silent for " + silent + " ms, no new work"
                        + (agent.attempts.isEmpty() ? "" : "; its " + agent.attempts.size() + " attempts are left alone"));
                wentSilent(agent, out);
            }
            if (agent.state != AgentState.ALIVE && !agent.attempts.isEmpty() && now >= agent.nextRequeueAtMs) {
                int requeued = requeueDue(agent, now);
                if (requeued > 0) {
                    out.note("agent " + agent.id + " " + agent.state + " (silent for " + silent + " ms): " + requeued
                            + " attempts re-queued by their job's --lost-after, " + agent.attempts.size() + " left");
                }
            }
        }
        ready.endBackoffs(now);
    }

    /** Answers the agent's parked poll now (with any work for it), else marks its next poll to be answered at once. */
    private void wake(Event.WakeAgent e, Effects out) {
        AgentRecord agent = agents.get(e.agentId());
        if (agent == null) {
            return;
        }
        if (agent.isParked()) {
            unpark(agent, new HeartbeatAnswer(assign(agent, e.nowMs()), drainCancels(agent), List.of(), false), out);
        } else {
            agent.wakeRequested = true;
        }
    }

    private void wakeParked(long now, Effects out) {
        if (parked.isEmpty()) {
            return;
        }
        for (AgentRecord agent : List.copyOf(parked)) {
            if (agent.pendingCancels.isEmpty() && (ready.isEmpty() || agent.freeSlots() == 0)) {
                continue;
            }
            List<Assignment> assignments = assign(agent, now);
            List<Long> cancels = drainCancels(agent);
            if (!assignments.isEmpty() || !cancels.isEmpty()) {
                unpark(agent, new HeartbeatAnswer(assignments, cancels, List.of(), false,
                        deadlines.policy(agent).offlineStopAfterMs()), out);
            }
        }
    }

    private void unpark(AgentRecord agent, HeartbeatAnswer answer, Effects out) {
        if (answer.offlineStopAfterMs() < 0 && !answer.reRegister()) {
            answer = new HeartbeatAnswer(answer.assignments(), answer.cancelAttempts(), answer.ackedAttempts(), false,
                    deadlines.policy(agent).offlineStopAfterMs());
        }
        out.reply(agent.parkedRequest, answer);
        agent.parkedRequest = -1;
        parked.remove(agent);
    }

    // ------------------------------------------------------------------ compaction

    /** Finished jobs keep their per-shard results through compaction only up to this many bytes. */
    static final long MAX_RETAINED_SHARD_RESULT_BYTES = 1 << 20;

    /**
     * The smallest list of facts that rebuilds today's durable state: what compaction writes in
     * place of the log. Jobs evicted from memory are dropped; finished jobs keep their definition,
     * end and (when small) their shard results.
     */
    public List<Fact> durableSnapshot() {
        List<Fact> out = new ArrayList<>(schedules.durableSnapshot());
        for (AgentRecord a : agents.values()) {
            out.add(new Fact.AgentRegistered(a.id, a.host, a.slots, a.labels));
            if (a.silenceRecorded && a.state != AgentState.ALIVE && !a.attempts.isEmpty()) {
                out.add(new Fact.AgentSilent(a.id, a.lastSeenMs, held(a)));
            }
        }
        for (Job job : jobs.values()) {
            out.add(new Fact.JobAccepted(job.def));
            boolean keepResults = !job.state.isTerminal() || shardResultBytes(job) <= MAX_RETAINED_SHARD_RESULT_BYTES;
            for (Task t : job.tasks) {
                if (t.state == TaskState.SUCCEEDED && keepResults) {
                    out.add(new Fact.TaskCommitted(job.def.jobId(), t.index, t.attemptId, t.value));
                } else if (t.state == TaskState.FAILED) {
                    out.add(new Fact.TaskFailed(job.def.jobId(), t.index, t.error));
                }
            }
            if (job.state.isTerminal()) {
                out.add(new Fact.JobEnded(job.def.jobId(), job.state, job.error, job.result, job.endedAtMs));
            }
        }
        return out;
    }

    private static long shardResultBytes(Job job) {
        long bytes = 0;
        for (Task t : job.tasks) {
            bytes += t.value == null ? 0 : t.value.length + 16;
        }
        return bytes;
    }

    // ------------------------------------------------------------------ runs of schedules (see Schedules)

    /**
     * Accepts a schedule's run like a submit, without a reply; the existing job when its key was
     * seen. The run's job id is {@code runId} (derived from the schedule and fire time) unless a
     * job the core still knows has it, then {@code runId-<epoch>-<seq>}.
     */
    String submitRun(JobDefinition d, String runId, long nowMs, Effects out) {
        String existing = jobIdForKey(d.owner(), d.idempotencyKey());
        if (existing != null) {
            return existing;
        }
        String jobId = jobs.containsKey(runId) ? runId + "-" + epoch + "-" + (++jobSeq) : runId;
        JobDefinition accepted = d.withJobId(jobId, nowMs);
        Job job = addJob(accepted);
        for (int i = 0; i < accepted.shardCount(); i++) {
            ready.add(job, job.tasks[i]);
        }
        out.persist(new Fact.JobAccepted(accepted));
        evictFinishedJobs();
        return jobId;
    }

    String jobIdForKey(String owner, String idempotencyKey) {
        return jobIdByKey.get(owner + "/" + idempotencyKey);
    }

    /** Cancels a run that a schedule's REPLACE policy replaces. */
    void cancelRun(String jobId, String why, long nowMs, Effects out) {
        Job job = jobs.get(jobId);
        if (job != null && !job.state.isTerminal()) {
            endJob(job, JobState.CANCELLED, why, null, nowMs, out);
        }
    }

    // ------------------------------------------------------------------ read access for Views

    Map<String, Job> jobs() {
        return jobs;
    }

    Map<String, AgentRecord> agents() {
        return agents;
    }

    AttemptRef attempt(long attemptId) {
        return attempts.get(attemptId);
    }

    /** Invariant checks for tests: every RUNNING task has exactly one live attempt. */
    public List<String> checkInvariants() {
        List<String> problems = new ArrayList<>();
        for (Job job : jobs.values()) {
            for (Task t : job.tasks) {
                if (t.state == TaskState.RUNNING && !attempts.containsKey(t.attemptId)) {
                    problems.add(job.def.jobId() + "/" + t.index + " RUNNING without a live attempt");
                }
            }
        }
        return problems;
    }
}
