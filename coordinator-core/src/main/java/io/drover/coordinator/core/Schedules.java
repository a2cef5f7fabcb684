package io.drover.coordinator.core;

import io.drover.coordinator.core.ScheduleDefinition.Overlap;
import io.drover.coordinator.core.ScheduleRun.Status;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The schedules part of the scheduling core: pure, owned by the core's thread, driven by
 * {@link Event.ScheduleCommand}s. The trigger engine (Quartz, on the leader) only says "cron time
 * T of schedule S has come" ({@link ScheduleOp.Fired}) or "these times were missed"
 * ({@link ScheduleOp.CatchUp}); every decision is made here, against the core's own view of the
 * previous runs, so overlap and misfire policies are testable with a fake clock.
 *
 * <p>Exactly once per cron time: a run's job has the id {@code S@T} (T in UTC, see {@link #runId})
 * and the idempotency key {@code schedule:S@T}, and
 * the {@link ScheduleChange.Ran} record that moves the schedule's last fire time past T is
 * persisted in the same group commit as the job. A fire at or before the last fire time is a
 * duplicate (a second engine, a replayed fire) and is ignored; after a failover the new leader
 * sees either both the job and the record or neither, and in the second case T is missed and
 * handled by the misfire policy.
 *
 * <p>A schedule may run a workflow instead ({@link WorkflowRuns}): a fire accepts every job of it in
 * the same turn, each keyed {@code schedule:S@T/NAME}, and the run is running until every one of
 * its jobs has ended; the overlap policy looks at all of them.
 */
final class Schedules {
    /** Runs remembered per schedule, durably and for {@code schedule show}. */
    static final int HISTORY = 50;
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final JobLifecycle jobs;
    private final Map<String, Entry> entries = new TreeMap<>();
    /** Job id of a run still in some history → its schedule, to record how the run ended. */
    private final Map<String, String> scheduleOfJob = new HashMap<>();

    private static final class Entry {
        ScheduleDefinition def;
        long lastFireMs;
        /**
         * Since when this leader has run the schedule unpaused (soft: the term's start, the add, the
         * resume). Cron times after it that the engine reports as missed were only passed while the
         * trigger was being armed: they fire as ordinary fires, not by the misfire policy.
         */
        long activeSinceMs;
        final List<ScheduleRun> history = new ArrayList<>(); // oldest first

        Entry(ScheduleDefinition def, long activeSinceMs) {
            this.def = def;
            this.lastFireMs = def.createdAtMs();
            this.activeSinceMs = activeSinceMs;
        }
    }

    Schedules(JobLifecycle jobs) {
        this.jobs = jobs;
    }

    /** What each schedule's runs submit (paused ones included: resuming them needs their artifacts). */
    List<JobDefinition> templates() {
        List<JobDefinition> out = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            if (e.def.isWorkflow()) {
                e.def.workflow().forEach(j -> out.add(j.definition()));
            } else {
                out.add(e.def.template());
            }
        }
        return out;
    }

    /**
     * Folds the recovered changes in the order they were written, then how finished runs ended.
     * {@code termStartMs}: this leader's start; cron times up to it passed with no leader.
     */
    void restore(List<ScheduleChange> changes, long termStartMs) {
        for (ScheduleChange c : changes) {
            if (c instanceof ScheduleChange.Saved s) {
                Entry e = entries.get(s.scheduleId());
                if (e == null) {
                    entries.put(s.scheduleId(), new Entry(s.definition(), termStartMs));
                } else {
                    e.def = s.definition();
                }
            } else if (c instanceof ScheduleChange.Removed r) {
                forget(r.scheduleId());
            } else if (c instanceof ScheduleChange.Ran r && entries.containsKey(r.scheduleId())) {
                record(entries.get(r.scheduleId()), r.run());
            } else if (c instanceof ScheduleChange.LastFire l && entries.containsKey(l.scheduleId())) {
                Entry e = entries.get(l.scheduleId());
                e.lastFireMs = Math.max(e.lastFireMs, l.lastFireMs());
            }
        }
        for (Entry e : entries.values()) {
            for (ScheduleRun run : List.copyOf(e.history)) {
                for (String jobId : run.outcome() != null ? List.<String>of() : run.jobIds()) {
                    Job job = jobs.byId().get(jobId);
                    if (job != null && job.state.isTerminal()) {
                        jobEnded(job.def.jobId(), job.state, job.endedAtMs == null ? 0 : job.endedAtMs);
                    }
                }
            }
        }
    }

    void apply(Event.ScheduleCommand e, Effects out) {
        ScheduleOp op = e.op();
        long now = e.nowMs();
        if (op instanceof ScheduleOp.Fired f) {
            Entry entry = entries.get(f.scheduleId());
            if (entry != null && !entry.def.paused() && f.scheduledMs() > entry.lastFireMs) {
                fire(entry, f.scheduledMs(), now, Status.STARTED, cronKey(entry, f.scheduledMs()), null, out);
            }
        } else if (op instanceof ScheduleOp.CatchUp c) {
            Entry entry = entries.get(c.scheduleId());
            if (entry != null && !entry.def.paused()) {
                catchUp(entry, c, now, out);
            }
        } else if (op instanceof ScheduleOp.ListAll) {
            List<ScheduleSnapshot> all = new ArrayList<>(entries.size());
            entries.values().forEach(x -> all.add(snapshot(x)));
            out.reply(e.requestId(), new Response.ScheduleAnswer(all, null));
        } else if (op instanceof ScheduleOp.Add a) {
            add(e.requestId(), a.definition(), now, out);
        } else {
            String id = idOf(op);
            Entry entry = entries.get(id);
            if (entry == null) {
                out.reply(e.requestId(), new Response.Rejected("unknown schedule " + id));
                return;
            }
            Response answer;
            if (op instanceof ScheduleOp.SetPaused p) {
                answer = setPaused(entry, p.paused(), now, out);
            } else if (op instanceof ScheduleOp.Remove) {
                answer = answer(entry);
                forget(id);
                out.persist(new Fact.ScheduleChanged(new ScheduleChange.Removed(id)));
            } else if (op instanceof ScheduleOp.RunNow r) {
                answer = runNow(entry, r.requestKey(), now, out);
            } else {
                answer = answer(entry);
            }
            out.reply(e.requestId(), answer);
        }
    }

    private static String idOf(ScheduleOp op) {
        if (op instanceof ScheduleOp.SetPaused p) {
            return p.scheduleId();
        } else if (op instanceof ScheduleOp.Remove r) {
            return r.scheduleId();
        } else if (op instanceof ScheduleOp.RunNow r) {
            return r.scheduleId();
        } else if (op instanceof ScheduleOp.Get g) {
            return g.scheduleId();
        }
        throw new IllegalArgumentException("unknown schedule operation " + op);
    }

    private void add(long requestId, ScheduleDefinition def, long now, Effects out) {
        String refusal = def.isWorkflow() ? WorkflowRuns.refusal(def.workflow()) : null;
        if (refusal != null) {
            out.reply(requestId, new Response.Rejected("schedule " + def.id() + ": " + refusal
                    + " (a schedule's workflow may only depend on its own jobs)"));
            return;
        }
        Entry existing = entries.get(def.id());
        if (existing != null) {
            out.reply(requestId, existing.def.sameAs(def) ? answer(existing)
                    : new Response.Rejected("schedule " + def.id() + " already exists with a different definition; "
                    + "remove it first"));
            return;
        }
        Entry entry = new Entry(def.withCreatedAt(now), now);
        entries.put(def.id(), entry);
        out.persist(new Fact.ScheduleChanged(new ScheduleChange.Saved(entry.def)));
        out.reply(requestId, answer(entry));
    }

    private Response setPaused(Entry entry, boolean paused, long now, Effects out) {
        if (entry.def.paused() != paused) {
            entry.def = entry.def.withPaused(paused);
            entry.activeSinceMs = now;
            out.persist(new Fact.ScheduleChanged(new ScheduleChange.Saved(entry.def)));
        }
        return answer(entry);
    }

    private Response runNow(Entry entry, String requestKey, long now, Effects out) {
        String key = "schedule:" + entry.def.id() + "@manual:" + requestKey;
        String existing = entry.def.isWorkflow() ? WorkflowRuns.existing(jobs, entry.def, key)
                : jobs.jobIdForKey(entry.def.template().owner(), key);
        if (existing != null) { // a retried request: the run it started the first time
            for (ScheduleRun run : entry.history) {
                if (run.jobIds().contains(existing)) {
                    return new Response.ScheduleAnswer(List.of(), run);
                }
            }
            return new Response.ScheduleAnswer(List.of(),
                    new ScheduleRun(entry.def.id(), now, now, Status.MANUAL, existing, null, null, 0));
        }
        if (entry.def.overlap() == Overlap.FORBID && !runningJobs(entry).isEmpty()) {
            return new Response.Rejected("schedule " + entry.def.id() + " forbids overlapping runs and run "
                    + String.join(", ", runningJobs(entry)) + " is still running");
        }
        return new Response.ScheduleAnswer(List.of(), fire(entry, now, now, Status.MANUAL, key, null, out));
    }

    /**
     * Cron times that passed unfired: those up to {@code activeSinceMs} (no leader ran the
     * schedule, or it was paused) go to the misfire policy; later ones only passed while the
     * trigger was being armed, and fire as usual.
     */
    private void catchUp(Entry entry, ScheduleOp.CatchUp c, long now, Effects out) {
        List<Long> listed = c.latestMissedMs().stream().filter(t -> t > entry.lastFireMs).toList();
        if (listed.isEmpty()) {
            return;
        }
        // If some were handled meanwhile, the count from the engine is stale: only the listed ones are left.
        long count = listed.size() < c.latestMissedMs().size() ? listed.size() : Math.max(listed.size(), c.missedCount());
        List<Long> missed = listed.stream().filter(t -> t <= entry.activeSinceMs).toList(); // ascending: a prefix
        List<Long> whileArming = listed.subList(missed.size(), listed.size());
        if (!missed.isEmpty()) {
            misfire(entry, missed, count - whileArming.size(), now, out);
        }
        for (long t : whileArming) {
            fire(entry, t, now, Status.STARTED, cronKey(entry, t), null, out);
        }
    }

    /** The misfire policy for {@code missed} (ascending, the latest of {@code count} missed times). */
    private void misfire(Entry entry, List<Long> missed, long count, long now, Effects out) {
        long latest = missed.get(missed.size() - 1);
        switch (entry.def.misfire()) {
            case SKIP -> record(entry, skipped(entry, latest, now, count + " missed fire time(s) skipped (misfire SKIP)"), out);
            case FIRE_ONCE_NOW -> fire(entry, latest, now, Status.STARTED, cronKey(entry, latest),
                    count > 1 ? "one run for " + count + " missed fire times (misfire FIRE_ONCE_NOW)" : "missed fire time, run late", out);
            case FIRE_ALL -> {
                int k = (int) Math.min(entry.def.maxCatchUp(), missed.size());
                long dropped = count - k;
                if (dropped > 0) {
                    long latestDropped = missed.size() > k ? missed.get(missed.size() - k - 1) : missed.get(0) - 1;
                    record(entry, skipped(entry, latestDropped, now, dropped
                            + " missed fire time(s) beyond maxCatchUp " + entry.def.maxCatchUp() + " skipped"), out);
                }
                for (long t : missed.subList(missed.size() - k, missed.size())) {
                    fire(entry, t, now, Status.STARTED, cronKey(entry, t), "missed fire time, run late (misfire FIRE_ALL)", out);
                }
            }
            default -> throw new IllegalStateException("unknown misfire policy " + entry.def.misfire());
        }
    }

    private static ScheduleRun skipped(Entry entry, long scheduledMs, long now, String note) {
        return new ScheduleRun(entry.def.id(), scheduledMs, now, Status.SKIPPED_MISFIRE, null, note, null, 0);
    }

    /** One fire: applies the overlap policy, starts the run's job, records the run. */
    private ScheduleRun fire(Entry entry, long scheduledMs, long now, Status status, String key, String note, Effects out) {
        List<String> running = runningJobs(entry);
        if (!running.isEmpty() && entry.def.overlap() == Overlap.FORBID) {
            ScheduleRun skip = new ScheduleRun(entry.def.id(), scheduledMs, now, Status.SKIPPED_OVERLAP, null,
                    "run " + String.join(", ", running) + " still running (overlap FORBID)", null, 0);
            record(entry, skip, out);
            return skip;
        }
        if (!running.isEmpty() && entry.def.overlap() == Overlap.REPLACE) {
            for (String jobId : running) {
                jobs.cancelRun(jobId, "replaced by the next run of schedule " + entry.def.id(), now, out);
            }
            note = (note == null ? "" : note + "; ") + "replaced " + String.join(", ", running);
        }
        String runId = runId(entry.def.id(), status, scheduledMs);
        ScheduleRun run;
        if (entry.def.isWorkflow()) {
            run = new ScheduleRun(entry.def.id(), scheduledMs, now, status, null, note, null, 0,
                    WorkflowRuns.submit(jobs, entry.def, runId, key, now, out));
        } else {
            String jobId = jobs.submitRun(runDefinition(entry.def, key), runId, now, out);
            run = new ScheduleRun(entry.def.id(), scheduledMs, now, status, jobId, note, null, 0);
        }
        record(entry, run, out);
        return run;
    }

    private List<String> runningJobs(Entry entry) {
        List<String> out = new ArrayList<>(1);
        for (ScheduleRun run : entry.history) {
            for (String jobId : run.jobIds()) {
                Job job = jobs.byId().get(jobId);
                if (job != null && !job.state.isTerminal() && !out.contains(jobId)) {
                    out.add(jobId);
                }
            }
        }
        return out;
    }

    private void record(Entry entry, ScheduleRun run, Effects out) {
        record(entry, run);
        out.persist(new Fact.ScheduleChanged(new ScheduleChange.Ran(run)));
    }

    private void record(Entry entry, ScheduleRun run) {
        entry.history.add(run);
        while (entry.history.size() > HISTORY) {
            ScheduleRun old = entry.history.remove(0);
            old.jobIds().forEach(scheduleOfJob::remove);
        }
        if (run.outcome() == null) {
            run.jobIds().forEach(j -> scheduleOfJob.put(j, run.scheduleId()));
        }
        if (run.isCronFire()) {
            entry.lastFireMs = Math.max(entry.lastFireMs, run.scheduledMs());
        }
    }

    /** A job ended: if it is a run in some history, remember how (kept through compaction). */
    void jobEnded(String jobId, JobState state, long atMs) {
        String id = scheduleOfJob.remove(jobId);
        Entry entry = id == null ? null : entries.get(id);
        if (entry == null) {
            return;
        }
        for (int i = 0; i < entry.history.size(); i++) {
            ScheduleRun run = entry.history.get(i);
            if (run.outcome() != null || !run.jobIds().contains(jobId)) {
                continue;
            }
            if (run.workflowJobs().isEmpty()) {
                entry.history.set(i, run.ended(state, atMs));
            } else { // a workflow run ends with the last of its jobs
                JobState outcome = WorkflowRuns.outcome(run.jobIds(), jobs);
                if (outcome != null) {
                    entry.history.set(i, run.ended(outcome, atMs));
                }
            }
        }
    }

    private void forget(String id) {
        Entry e = entries.remove(id);
        if (e != null) {
            e.history.forEach(r -> r.jobIds().forEach(scheduleOfJob::remove));
        }
    }

    /**
     * A run's job id: the schedule's name and the cron time in UTC, e.g. {@code nightly@20260329T013000Z}
     * (run-now: {@code nightly@manual-20260329T013012Z}), so a run names its schedule and fire time.
     */
    static String runId(String scheduleId, Status status, long scheduledMs) {
        String time = RUN_TIME.format(Instant.ofEpochMilli(scheduledMs));
        if (scheduledMs % 1000 != 0) {
            time = time.substring(0, time.length() - 1) + String.format(".%03dZ", scheduledMs % 1000);
        }
        return scheduleId + (status == Status.MANUAL ? "@manual-" : "@") + time;
    }

    private static String cronKey(Entry entry, long scheduledMs) {
        return "schedule:" + entry.def.id() + "@" + scheduledMs;
    }

    /** A run's job: the template, named after the schedule, with the fire's idempotency key. */
    private static JobDefinition runDefinition(ScheduleDefinition s, String key) {
        return s.template().asRun(s.id(), key);
    }

    private Response answer(Entry entry) {
        return new Response.ScheduleAnswer(List.of(snapshot(entry)), null);
    }

    private static ScheduleSnapshot snapshot(Entry entry) {
        List<ScheduleRun> newestFirst = new ArrayList<>(entry.history);
        java.util.Collections.reverse(newestFirst);
        return new ScheduleSnapshot(entry.def, entry.lastFireMs, newestFirst);
    }

    /** Facts that rebuild every schedule with its last fire time and history, for compaction. */
    List<Fact> durableSnapshot() {
        List<Fact> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            out.add(new Fact.ScheduleChanged(new ScheduleChange.Saved(e.def)));
            e.history.forEach(r -> out.add(new Fact.ScheduleChanged(new ScheduleChange.Ran(r))));
            out.add(new Fact.ScheduleChanged(new ScheduleChange.LastFire(e.def.id(), e.lastFireMs)));
        }
        return out;
    }
}
