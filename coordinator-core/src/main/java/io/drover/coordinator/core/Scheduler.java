package io.drover.coordinator.core;

import io.drover.coordinator.core.Event.Outcome;
import io.drover.coordinator.core.Response.HeartbeatAnswer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
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
 *
 * <p>This class dispatches events; each concern lives in a part of its own: {@link JobLifecycle},
 * {@link TaskOutcomes}, {@link ReadyQueue}, {@link AttemptLedger}, {@link AgentLiveness},
 * {@link Recovery}, {@link Assigner}, {@link PollParking}, {@link Schedules}, {@link Quotas} and
 * {@link CompactionSnapshot}.
 */
public final class Scheduler {
    private final long epoch;
    private final Deadlines deadlines;
    private final Views views;
    private final ReadyQueue ready = new ReadyQueue();
    private final AgentLiveness agents;
    private final AttemptLedger ledger;
    private final Recovery recovery;
    private final JobLifecycle jobs;
    private final TaskOutcomes outcomes;
    private final Assigner assigner;
    private final Backups backups;
    private final PollParking parking;
    private final EarlyReplies early;
    private final Schedules schedules;
    private final WorkflowSubmission workflows;
    private final Quotas quotas;

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
        this.epoch = epoch;
        this.deadlines = new Deadlines(config);
        this.agents = new AgentLiveness(config, deadlines);
        this.views = new Views(deadlines, agents::all);
        this.ledger = new AttemptLedger(epoch, ready, agents);
        this.quotas = new Quotas(ledger.runningByOwner());
        recovered.quotas().forEach(quotas::set);
        this.recovery = new Recovery(recovered.jobs().isEmpty() ? nowMs : nowMs + config.recoveryWindowMs(), quotas);
        this.jobs = new JobLifecycle(config, epoch, ready, ledger, this::jobEnded);
        this.schedules = new Schedules(jobs);
        this.workflows = new WorkflowSubmission(jobs);
        this.outcomes = new TaskOutcomes(config, jobs, ledger, ready);
        this.backups = new Backups(config.backups(), jobs.byId().values(), ledger, quotas);
        this.assigner = new Assigner(ready, ledger, agents, recovery, quotas, backups);
        this.early = new EarlyReplies(jobs);
        this.parking = new PollParking(deadlines, agents, ledger, ready, assigner, early);
        for (RecoveredAgent a : recovered.agents()) {
            AgentRecord agent = new AgentRecord(a.agentId(), a.host(), a.slots(), a.labels(), nowMs);
            agent.state = AgentState.SUSPECT;
            agents.add(agent);
            recovery.expect(agent);
        }
        for (RecoveredJob r : recovered.jobs()) {
            jobs.restore(r, nowMs, out);
        }
        for (RecoveredAgent a : recovered.agents()) {
            if (a.silentSinceMs() > 0) {
                recovery.restoreSilence(agents.get(a.agentId()), a, nowMs, jobs, ledger);
            }
        }
        schedules.restore(recovered.schedules(), nowMs);
    }

    public long epoch() {
        return epoch;
    }

    /** Handles one event; the shell persists {@code out.facts()} before sending {@code out.replies()}. */
    public void apply(Event event, Effects out) {
        String refusal = EventChecks.refusal(event);
        if (refusal != null) { // refused before anything changes: the core is never half-changed
            long requestId = EventChecks.requestId(event);
            if (requestId != 0) {
                out.reply(requestId, new Response.Rejected(refusal));
            }
            return;
        }
        if (event instanceof Event.Heartbeat e) {
            heartbeat(e, out);
        } else if (event instanceof Event.SubmitJob e) {
            jobs.submit(e, out);
        } else if (event instanceof Event.SubmitWorkflow e) {
            workflows.submit(e, out);
        } else if (event instanceof Event.Query e) {
            out.reply(e.requestId(), views.answer(e, this));
        } else if (event instanceof Event.Tick e) {
            tick(e.nowMs(), out);
        } else if (event instanceof Event.PollDeadline e) {
            parking.expire(e.nowMs(), out);
        } else if (event instanceof Event.RegisterAgent e) {
            agents.register(e, ledger, recovery, out);
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
            parking.wake(e, out);
        } else if (event instanceof Event.SetQuota e) {
            setQuota(e, out);
        } else if (event instanceof Event.RemoveQuota e) {
            removeQuota(e, out);
        } else {
            throw new IllegalArgumentException("unknown event " + event);
        }
        if (!(event instanceof Event.Query) && !(event instanceof Event.LocateTask)) {
            parking.wakeParked(event.nowMs(), out);
        }
    }

    private void jobEnded(String jobId, JobState state, long nowMs) {
        schedules.jobEnded(jobId, state, nowMs);
    }

    private void cancel(Event.CancelJob e, Effects out) {
        Job job = jobs.cancel(e.jobId(), e.nowMs(), out);
        out.reply(e.requestId(), job == null ? new Response.Rejected("unknown job " + e.jobId()) : views.job(job, false, false, this));
    }

    private void setQuota(Event.SetQuota e, Effects out) {
        Quota quota = quotas.merged(e.owner(), e.maxRunning(), e.weight());
        quotas.set(quota);
        ready.nudge(); // a raised cap or a new weight may let parked polls take work now
        out.persist(new Fact.QuotaSet(quota));
        out.reply(e.requestId(), new Response.QuotaList(List.of(quotas.usage(quota.owner(), 0))));
    }

    private void removeQuota(Event.RemoveQuota e, Effects out) {
        Quota removed = quotas.remove(e.owner());
        if (removed == null) {
            out.reply(e.requestId(), new Response.Rejected("no quota entry for owner " + e.owner()));
            return;
        }
        ready.nudge();
        out.persist(new Fact.QuotaRemoved(e.owner()));
        out.reply(e.requestId(), new Response.QuotaList(List.of(new Response.QuotaUsage(removed, true,
                quotas.running(e.owner()), 0))));
    }

    /**
     * When the earliest parked poll runs out ({@link Long#MAX_VALUE}: none parked). The shell sends
     * {@link Event.PollDeadline} then, so an idle agent's poll is answered on time, not up to a tick late.
     */
    public long nextPollDeadlineMs() {
        return parking.nextDeadlineMs();
    }

    private void tick(long now, Effects out) {
        agents.tick(now, ledger, out);
        parking.tick(now, out);
        ready.endBackoffs(now);
        if (backups.due(now)) {
            parking.offerBackups(now, () -> backups.due(now), out); // a straggler shows only with time: idle parked agents may take its backup
        }
    }

    private void drain(Event.DrainAgent e, Effects out) {
        AgentRecord agent = agents.get(e.agentId());
        if (agent == null) {
            out.reply(e.requestId(), new Response.Rejected("unknown agent " + e.agentId()));
            return;
        }
        agent.adminDrained = e.drain();
        agents.invalidate();
        ledger.touch(agent); // undrained: its parked poll may take work now
        out.reply(e.requestId(), views.agent(agent, e.nowMs(), this));
    }

    private void forget(Event.ForgetAgent e, Effects out) {
        AgentRecord agent = agents.get(e.agentId());
        if (agent == null) {
            out.reply(e.requestId(), new Response.Rejected("unknown agent " + e.agentId()));
            return;
        }
        ledger.releaseAll(agent);
        parking.answerIfParked(agent, new HeartbeatAnswer(List.of(), List.of(), List.of(), true), out);
        recovery.heardFrom(agent);
        agents.remove(agent);
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
        parking.answerIfParked(agent, HeartbeatAnswer.EMPTY, out);
        agents.connectionClosed(agent, e.nowMs(), ledger, out);
    }

    /** Results, then what the agent says it runs, then new work; parks the poll when there is nothing to say. */
    private void heartbeat(Event.Heartbeat e, Effects out) {
        AgentRecord agent = agents.get(e.agentId());
        if (agent == null) {
            out.reply(e.requestId(), new HeartbeatAnswer(List.of(), List.of(), List.of(), true));
            return;
        }
        long now = e.nowMs();
        recovery.heardFrom(agent);
        agents.heard(agent, now, out);
        if (agent.selfDraining != e.draining()) {
            agent.selfDraining = e.draining();
            agents.invalidate();
        }
        ledger.touch(agent); // ALIVE again or undrained, on a report while its poll is parked
        List<Long> acks = new ArrayList<>(e.results().size());
        int dropped = 0;
        for (Event.Report report : e.results()) {
            if (!outcomes.onReport(agent, report, now, out) && report.outcome() == Outcome.SUCCEEDED) {
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
                recovery.adopt(agent, running, now, jobs, ledger);
            }
            Job job = jobs.get(running.jobId());
            if (job != null && running.task() >= 0 && running.task() < job.tasks.length) {
                Backups.observe(job.tasks[running.task()], running.attemptId(), running.queued(), now);
            }
        }
        ledger.forgetVanished(agent, known, now, deadlines);
        // A report's new work stays in its answer, behind the acknowledgements' commit: moving it to the parked
        // poll would let it leave sooner, but costs the agent a poll round trip per report (measured: slower).
        HeartbeatAnswer answer = new HeartbeatAnswer(assigner.assign(agent, now), ledger.drainCancels(agent), acks, false,
                deadlines.policy(agent).offlineStopAfterMs());
        boolean woken = agent.wakeRequested;
        agent.wakeRequested = false;
        if (e.maxWaitMs() <= 0 || !answer.isEmpty() || woken) {
            early.answer(e.requestId(), answer, out);
            return;
        }
        parking.park(agent, e.requestId(), now + e.maxWaitMs(), out);
    }

    /**
     * The smallest list of facts that rebuilds today's durable state: what compaction writes in
     * place of the log (see {@link CompactionSnapshot}).
     */
    public List<Fact> durableSnapshot() {
        return durableState().allFacts();
    }

    /** {@link #durableSnapshot()} with each finished job's facts apart, built only when the store asks for them. */
    public DurableSnapshot durableState() {
        return CompactionSnapshot.of(schedules, quotas, agents, ledger, jobs);
    }

    // ------------------------------------------------------------------ read access for Views and tests

    Map<String, Job> jobs() {
        return jobs.byId();
    }

    Map<String, AgentRecord> agents() {
        return agents.byId();
    }

    Schedules schedules() {
        return schedules;
    }

    Quotas quotas() {
        return quotas;
    }

    ReadyQueue ready() {
        return ready;
    }

    AttemptLedger.AttemptRef attempt(long attemptId) {
        return ledger.get(attemptId);
    }

    /**
     * Invariant checks for tests: every RUNNING task has exactly one live current attempt, and at most
     * one live backup, on another agent; no task that is not RUNNING has a backup.
     */
    public List<String> checkInvariants() {
        List<String> problems = new ArrayList<>();
        for (Job job : jobs.byId().values()) {
            for (Task t : job.tasks) {
                if (t.state == TaskState.RUNNING && !ledger.isLive(t.attemptId)) {
                    problems.add(job.def.jobId() + "/" + t.index + " RUNNING without a live attempt");
                }
                if (t.backupAttemptId != 0 && (t.state != TaskState.RUNNING || !ledger.isLive(t.backupAttemptId)
                        || t.backupAgentId.equals(t.agentId) || t.backups > 1)) {
                    problems.add(job.def.jobId() + "/" + t.index + " " + t.state + " with backup " + t.backupAttemptId
                            + " on " + t.backupAgentId + " (current on " + t.agentId + ", live "
                            + ledger.isLive(t.backupAttemptId) + ")");
                }
            }
        }
        return problems;
    }
}
