package io.drover.coordinator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.core.Response.Assignment;
import io.drover.coordinator.core.Response.HeartbeatAnswer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Deterministic simulation of the scheduling core under faults: seeded random submits,
 * heartbeats, task failures, agent crashes, restarts and partitions, duplicated and delayed
 * reports, and leader changes that rebuild the core from the durable facts alone (sometimes
 * losing the step in flight, as a crash before the group commit would). Some agents are in an
 * edge pool with a long disconnect policy, and some jobs override it (shorter or longer), so
 * partitions exercise work left alone, re-queued by an override, and restored after a failover. After every step:
 * no task has two committed results, and every acknowledged job is durable. At the end, with
 * faults healed and agents alive, every acknowledged job finishes. Some jobs depend on earlier ones
 * (some submitted alone, some as a workflow): no task of a dependant is handed to an agent before
 * the end its dependency needed is durable. Jobs belong to two owners; in most worlds they have quotas
 * (a cap of running tasks, weights), raised now and then while the world runs: no owner ever runs more
 * tasks than its cap allows, and the caps hold up no job for good. Most jobs allow straggler backups,
 * under an eager policy, so backups run beside their originals through every fault above (first
 * result wins, once; a backup counts against its owner's cap). Answers that carry only first attempts of shard
 * tasks of durable jobs leave before the step's commit ({@link Effects#replyEarly}), so a leader that dies before
 * its commit may have sent them: every invariant above still holds.
 *
 * <p>Replay one seed: {@code mvn -pl coordinator test -Dtest=SimulationTest -Dsim.seed=N}.
 * More seeds: {@code -Dsim.seeds=20000}.
 */
class SimulationTest {

    @Test
    void invariantsHoldForManySeeds() {
        String one = System.getProperty("sim.seed");
        if (one != null) {
            new World(Long.parseLong(one)).run();
            return;
        }
        int seeds = Integer.getInteger("sim.seeds", 2000);
        long dependantTasksRun = 0;
        long backupsRun = 0;
        long earlyBeforeCrash = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            try {
                World w = new World(seed);
                w.run();
                dependantTasksRun += w.released;
                backupsRun += w.backups;
                earlyBeforeCrash += w.earlyRepliesSentBeforeCrash;
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("simulation seed " + seed + " failed; replay with "
                        + "mvn -pl coordinator test -Dtest=SimulationTest -Dsim.seed=" + seed + ": " + e.getMessage(), e);
            }
        }
        assertThat(dependantTasksRun).as("tasks of dependant jobs ran in the simulation").isGreaterThan(seeds);
        assertThat(backupsRun).as("backup attempts ran beside running attempts in the simulation").isGreaterThan(seeds);
        assertThat(earlyBeforeCrash).as("answers sent before a group commit that then failed").isGreaterThan(seeds / 10);
    }

    /** One simulated cluster. */
    static final class World {
        final Random rnd;
        final long seed;
        final SchedulerConfig config = new SchedulerConfig(3_000, 8_000, 2_000, 100, 2_000, 1_000, 1_000)
                .withPools(Map.of("edge", new DisconnectPolicy(20_000, 12_000)))
                .withBackups(new BackupPolicy(1.5, 0, 2, 0)); // eager, so backups meet every fault
        static final long[] OVERRIDES = {0, 0, 0, 2_000, 15_000, 40_000};
        /** Placement constraints jobs draw from; a0 (site s0) meets every one. */
        static final List<List<Constraint>> PLACEMENTS = List.of(List.of(), List.of(),
                List.of(new Constraint("site", Constraint.Op.IN, List.of("s0", "s1"))),
                List.of(new Constraint("site", Constraint.Op.NE, List.of("s1"))),
                List.of(new Constraint("site", Constraint.Op.EXISTS, List.of()),
                        new Constraint("gpu", Constraint.Op.NOT_EXISTS, List.of())));
        final List<Fact> durable = new ArrayList<>();
        final Set<String> ackedJobs = new HashSet<>();
        final Set<String> everCommitted = new HashSet<>();
        final Set<String> everAccepted = new HashSet<>();
        /** The jobs the log (as compacted) holds a definition of: kept as facts are written, not rescanned per step. */
        final Set<String> acceptedInLog = new HashSet<>();
        final Map<String, JobDefinition> definitions = new HashMap<>();
        final Map<String, JobState> durableEnds = new HashMap<>();
        int released;
        /** Assignments of a task another agent was running at the time: backups (or a re-run after a lost agent). */
        int backups;
        final Map<String, SimAgent> agents = new LinkedHashMap<>();
        long now = 10_000;
        long epoch = 1;
        long requestIds;
        Scheduler core;
        int submitted;
        int quotaChanges;

        World(long seed) {
            this.seed = seed;
            this.rnd = new Random(seed);
            core = newCore();
            if (rnd.nextInt(4) != 0) {
                apply(new Event.SetQuota(++requestIds, now, new Quota("alice", 1 + rnd.nextInt(3), 1 + rnd.nextInt(3))));
                apply(new Event.SetQuota(++requestIds, now, new Quota(Quota.DEFAULT_OWNER,
                        rnd.nextBoolean() ? Quota.NO_CAP : 1 + rnd.nextInt(4), 1 + rnd.nextInt(3))));
            }
            int n = 1 + rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                // Every agent has a site (a0 always s0), so each constraint below some agent can meet.
                String site = "s" + (i % 2);
                agents.put("a" + i, new SimAgent("a" + i, 1 + rnd.nextInt(4),
                        rnd.nextBoolean() ? Map.of("pool", "edge", "site", site) : Map.of("site", site)));
            }
        }

        Scheduler newCore() {
            Effects out = new Effects();
            Scheduler s = new Scheduler(config, epoch, FactReplay.replayState(durable), now, out);
            persist(out.facts());
            return s;
        }

        /** Writes facts, checking as a store auditor would that no task commits twice. */
        void persist(List<Fact> facts) {
            for (Fact f : facts) {
                if (f instanceof Fact.TaskCommitted c) {
                    assertThat(everCommitted.add(c.jobId() + "/" + c.task())).as("task %s/%d committed twice (seed %d)",
                            c.jobId(), c.task(), seed).isTrue();
                } else if (f instanceof Fact.JobAccepted a) {
                    everAccepted.add(a.jobId());
                    definitions.put(a.jobId(), a.definition());
                } else if (f instanceof Fact.JobEnded e) {
                    durableEnds.putIfAbsent(e.jobId(), e.state());
                }
            }
            durable.addAll(facts);
            facts.forEach(this::noteInLog);
        }

        /** Keeps {@link #acceptedInLog} current as facts enter the log. */
        void noteInLog(Fact f) {
            if (f instanceof Fact.JobAccepted a) {
                acceptedInLog.add(a.jobId());
            }
        }

        void run() {
            int steps = 150 + rnd.nextInt(150);
            for (int i = 0; i < steps; i++) {
                step(true);
                check();
            }
            // Heal: everyone alive and connected, no more crashes; failures by policy still happen.
            agents.values().forEach(a -> {
                if (!a.alive) {
                    a.alive = true;
                    a.registered = false; // a restarted agent registers again
                }
                a.partitionedUntil = 0;
            });
            for (int i = 0; i < 3_000 && !allAckedJobsDone(); i++) {
                step(false);
                check();
            }
            assertThat(allAckedJobsDone()).as("all acknowledged jobs finished (seed %d): %s", seed, describe()).isTrue();
        }

        void step(boolean faults) {
            now += rnd.nextInt(700);
            int dice = rnd.nextInt(100);
            if (dice < 8 && submitted < 6) {
                if (rnd.nextInt(4) == 0) {
                    submitWorkflow();
                } else {
                    submit();
                }
            } else if (faults && dice < 10) {
                leaderChange(rnd.nextBoolean());
            } else if (faults && dice < 13) {
                SimAgent a = pick();
                a.alive = false; // crash: running work gone, journal (unacked results) kept on disk
                a.running.clear();
                a.runningWhat.clear();
                if (rnd.nextBoolean()) {
                    disconnect(a);
                }
            } else if (faults && dice < 14) {
                disconnect(pick()); // a connection drops; the agent may be fine and come back
            } else if (dice < 15) {
                // Compaction: the log is replaced by the core's snapshot of the same state.
                durable.clear();
                durable.addAll(core.durableSnapshot());
                acceptedInLog.clear();
                durable.forEach(this::noteInLog);
            } else if (faults && dice < 17) {
                pick().partitionedUntil = now + rnd.nextInt(30_000); // keeps running, cannot talk
            } else if (dice < 22) {
                apply(new Event.Tick(now));
            } else if (dice < 23 && quotaChanges < 3) {
                quotaChanges++;
                String owner = rnd.nextBoolean() ? "alice" : "bob";
                Quota q = core.quotas().of(owner); // raised only: running work above a lowered cap is not stopped
                apply(new Event.SetQuota(++requestIds, now, new Quota(owner,
                        q.capped() ? q.maxRunning() + 1 : Quota.NO_CAP, 1 + rnd.nextInt(4))));
            } else {
                SimAgent a = pick();
                if (!a.alive && rnd.nextInt(4) == 0) {
                    a.alive = true;
                    a.registered = false;
                }
                a.act();
            }
        }

        void disconnect(SimAgent a) {
            long poll = a.parked ? a.parkedRequest : -1;
            a.parked = false;
            apply(new Event.AgentDisconnected(now, a.id, poll));
        }

        SimAgent pick() {
            List<SimAgent> all = new ArrayList<>(agents.values());
            return all.get(rnd.nextInt(all.size()));
        }

        JobDefinition randomJob(String key) {
            int shards = 1 + rnd.nextInt(8);
            return new JobDefinition("pending", "sim", rnd.nextBoolean() ? "alice" : "bob", key,
                    "JVM", "ab", 1, "x.Job", List.of(), shards, List.of(), List.of(), 1, 1 + rnd.nextInt(4), 0,
                    rnd.nextBoolean(), rnd.nextInt(3), Map.of(), 0, 0, OVERRIDES[rnd.nextInt(OVERRIDES.length)])
                    .withPlacement(PLACEMENTS.get(rnd.nextInt(PLACEMENTS.size())), rnd.nextInt(3) == 0 ? "site" : null)
                    .withBackups(rnd.nextInt(4) != 0);
        }

        /** Up to two dependencies on jobs acknowledged earlier (or on {@code names}), with random conditions. */
        JobDefinition withRandomDependencies(JobDefinition d, List<String> candidates) {
            List<Dependency> deps = new ArrayList<>();
            List<String> pool = new ArrayList<>(candidates);
            java.util.Collections.shuffle(pool, rnd);
            for (int i = 0; i < Math.min(pool.size(), rnd.nextInt(3)); i++) {
                deps.add(new Dependency(pool.get(i), rnd.nextInt(3) == 0 ? Dependency.Condition.FINISHED
                        : Dependency.Condition.SUCCEEDED));
            }
            return d.withDependencies(deps, rnd.nextBoolean() ? Dependency.UpstreamFailure.SKIP : Dependency.UpstreamFailure.FAIL);
        }

        /** A workflow: a start job and two or three more, each depending on earlier ones of it. */
        void submitWorkflow() {
            List<WorkflowJob> jobs = new ArrayList<>();
            List<String> names = new ArrayList<>();
            int n = 2 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                String name = "w" + submitted + "-" + i;
                JobDefinition d = randomJob("key-" + name);
                if (i > 0) {
                    d = withRandomDependencies(d, names);
                    if (d.dependencies().isEmpty()) {
                        d = d.withDependencies(List.of(new Dependency(names.get(0), Dependency.Condition.SUCCEEDED)),
                                d.onUpstreamFailure());
                    }
                }
                names.add(name);
                jobs.add(new WorkflowJob(name, d));
            }
            java.util.Collections.shuffle(jobs, rnd); // the order in the request does not matter
            Event.SubmitWorkflow e = new Event.SubmitWorkflow(++requestIds, now, jobs);
            Response r = apply(e);
            if (r == null && rnd.nextBoolean()) {
                r = apply(new Event.SubmitWorkflow(++requestIds, now, jobs)); // the client retries
            }
            if (r instanceof Response.WorkflowSubmitted w) {
                assertThat(w.jobIds()).hasSize(n);
                ackedJobs.addAll(w.jobIds().values());
                submitted++;
            }
        }

        void submit() {
            JobDefinition d = randomJob("key-" + submitted);
            if (!ackedJobs.isEmpty() && rnd.nextBoolean()) {
                d = withRandomDependencies(d, new ArrayList<>(new java.util.TreeSet<>(ackedJobs)));
            }
            Response r = apply(new Event.SubmitJob(++requestIds, now, d));
            if (r instanceof Response.Submitted s) {
                ackedJobs.add(s.jobId());
                definitions.put(s.jobId(), d);
                submitted++;
            } else if (r == null && rnd.nextBoolean()) {
                // The client never heard back (leader crashed mid-commit) and retries with the same key.
                Response again = apply(new Event.SubmitJob(++requestIds, now, d));
                if (again instanceof Response.Submitted s) {
                    ackedJobs.add(s.jobId());
                    submitted++;
                }
            }
        }

        boolean crashNextCommit;
        /** Answers sent early in steps whose commit then failed: the faults the early path must survive. */
        int earlyRepliesSentBeforeCrash;

        void leaderChange(boolean crashDuringCommit) {
            crashNextCommit = crashDuringCommit;
            if (!crashDuringCommit) {
                epoch++;
                core = newCore();
                agents.values().forEach(a -> a.parked = false);
            }
        }

        /** Applies one event; returns the reply to it if it was delivered. */
        Response apply(Event e) {
            Effects out = new Effects();
            core.apply(e, out);
            if (crashNextCommit) {
                // The leader dies before its group commit: nothing of this step is durable. Only answers the core
                // let go early were sent (as the shell does: not while the job they name was accepted in this step).
                crashNextCommit = false;
                Set<String> acceptedNow = new HashSet<>();
                boolean quotaNow = false;
                for (Fact f : out.facts()) {
                    if (f instanceof Fact.JobAccepted a) {
                        acceptedNow.add(a.definition().jobId());
                    }
                    quotaNow |= f instanceof Fact.QuotaSet || f instanceof Fact.QuotaRemoved;
                }
                Response mine = null;
                for (Effects.Reply r : out.replies()) {
                    if (r.earlyAfterJobs() != null && !quotaNow && r.earlyAfterJobs().stream().noneMatch(acceptedNow::contains)) {
                        earlyRepliesSentBeforeCrash++;
                        mine = deliver(e, r, mine);
                    }
                }
                epoch++;
                core = newCore();
                agents.values().forEach(a -> a.parked = false);
                return mine;
            }
            persist(out.facts());
            Response mine = null;
            for (Effects.Reply r : out.replies()) {
                mine = deliver(e, r, mine);
            }
            return mine;
        }

        /** Delivers one reply: to a parked agent it answers, or as the answer to {@code e}'s caller (returned). */
        private Response deliver(Event e, Effects.Reply r, Response mine) {
            boolean own = requestIdOf(e) == r.requestId();
            for (SimAgent a : agents.values()) {
                if (a.parked && a.parkedRequest == r.requestId() && !own) {
                    a.parked = false;
                    a.receive((HeartbeatAnswer) r.response());
                }
            }
            return own ? r.response() : mine;
        }

        void check() {
            assertThat(acceptedInLog).as("acknowledged jobs are durable").containsAll(ackedJobs);
            assertThat(core.checkInvariants()).isEmpty();
            Map<String, Integer> runningByOwner = new HashMap<>();
            core.jobs().values().forEach(j -> {
                for (int i = 0; i < j.taskCount(); i++) {
                    if (j.taskState(i) == TaskState.RUNNING) {
                        runningByOwner.merge(j.def.owner(), 1, Integer::sum);
                    }
                }
            });
            runningByOwner.forEach((owner, n) -> {
                Quota q = core.quotas().of(owner);
                assertThat(!q.capped() || n <= q.maxRunning()).as("owner %s runs %d tasks over its cap %d (seed %d)",
                        owner, n, q.maxRunning(), seed).isTrue();
            });
        }

        /**
         * Every acknowledged job has a durable end: {@link #durableEnds} holds the first end persisted per job, as a
         * replay of the log would find it (without replaying the whole log after every step).
         */
        boolean allAckedJobsDone() {
            return ackedJobs.stream().allMatch(id -> durableEnds.get(id) != null && durableEnds.get(id).isTerminal());
        }

        String describe() {
            StringBuilder b = new StringBuilder();
            for (String id : ackedJobs) {
                Response r = peek(new Event.Query(-5, now, Event.QueryKind.JOB, id, true, false, 0));
                if (r instanceof Response.JobSnapshot j && !j.state().isTerminal()) {
                    b.append("\n job ").append(id).append(' ').append(j.state());
                    j.tasks().forEach(t -> b.append("\n   ").append(t));
                }
            }
            b.append("\n now=").append(now);
            core.jobs().values().forEach(j -> { for (int i = 0; i < j.taskCount(); i++) { Task t = j.task(i); if (t.state == TaskState.RUNNING) {
                b.append("\n running ").append(j.def.jobId()).append('/').append(t.index).append(" attempt=").append(t.attemptId)
                        .append(" assignedAt=").append(t.assignedAtMs); } } });
            core.agents().values().forEach(a -> b.append("\n core agent ").append(a.id).append(" attempts=").append(a.attempts));
            Response agentsNow = peek(new Event.Query(-6, now, Event.QueryKind.AGENTS, null, false, false, 0));
            b.append("\n agents ").append(agentsNow);
            agents.values().forEach(a -> b.append("\n sim ").append(a.id).append(" alive=").append(a.alive)
                    .append(" parked=").append(a.parked).append(" running=").append(a.running.keySet())
                    .append(" journal=").append(a.journal.keySet()));
            return b.toString();
        }

        Response peek(Event e) {
            Effects out = new Effects();
            core.apply(e, out);
            return out.replies().isEmpty() ? null : out.replies().get(0).response();
        }

        static long requestIdOf(Event e) {
            if (e instanceof Event.Heartbeat h) return h.requestId();
            if (e instanceof Event.SubmitJob s) return s.requestId();
            if (e instanceof Event.SubmitWorkflow w) return w.requestId();
            if (e instanceof Event.RegisterAgent r) return r.requestId();
            return -1;
        }

        /** A simulated agent: runs attempts for a few steps, keeps results until acknowledged. */
        final class SimAgent {
            final String id;
            final int slots;
            final Map<String, String> labels;
            boolean alive = true;
            boolean registered;
            long partitionedUntil;
            boolean parked;
            long parkedRequest;
            final Map<Long, long[]> running = new LinkedHashMap<>(); // attemptId -> [finishAt]
            final Map<Long, Assignment> runningWhat = new HashMap<>();
            final Map<Long, Event.Report> journal = new LinkedHashMap<>();
            final List<Event.Report> sentBefore = new ArrayList<>();

            SimAgent(String id, int slots, Map<String, String> labels) {
                this.id = id;
                this.slots = slots;
                this.labels = labels;
            }

            void act() {
                if (!alive) {
                    return;
                }
                finishDueWork();
                if (now < partitionedUntil) {
                    return; // keeps running, cannot talk
                }
                if (!registered) {
                    apply(new Event.RegisterAgent(++requestIds, now, id, id, slots, labels));
                    registered = true;
                    return;
                }
                List<Event.Report> reports = new ArrayList<>(journal.values());
                if (!sentBefore.isEmpty() && rnd.nextInt(5) == 0) {
                    reports.add(sentBefore.get(rnd.nextInt(sentBefore.size()))); // a duplicate
                }
                if (!reports.isEmpty() && rnd.nextInt(6) == 0) {
                    reports.remove(0); // delayed to a later heartbeat
                }
                List<Event.RunningAttempt> runningNow = new ArrayList<>();
                runningWhat.forEach((attempt, a) -> runningNow.add(new Event.RunningAttempt(attempt, a.jobId(), a.task())));
                long wait = rnd.nextInt(3) == 0 ? 5_000 : 0;
                long request = ++requestIds;
                Response r = apply(new Event.Heartbeat(request, now, id, reports, runningNow, false, wait));
                sentBefore.addAll(reports);
                if (sentBefore.size() > 50) {
                    sentBefore.subList(0, 25).clear();
                }
                if (r instanceof HeartbeatAnswer answer) {
                    receive(answer);
                } else if (r == null && wait > 0) {
                    parked = true;
                    parkedRequest = request;
                }
            }

            void receive(HeartbeatAnswer answer) {
                if (!alive) {
                    return;
                }
                if (answer.reRegister()) {
                    registered = false;
                }
                answer.ackedAttempts().forEach(journal::remove);
                for (Long cancel : answer.cancelAttempts()) {
                    running.remove(cancel);
                    runningWhat.remove(cancel);
                }
                for (Assignment a : answer.assignments()) {
                    JobDefinition def = definitions.get(a.jobId());
                    if (def != null) {
                        for (Constraint c : def.constraints()) {
                            assertThat(c.test(labels)).as("agent %s %s got a task of %s, which needs %s (seed %d)",
                                    id, labels, a.jobId(), c, seed).isTrue();
                        }
                    }
                    checkUpstreamDurable(a);
                    for (SimAgent other : agents.values()) {
                        if (other != this && other.runningWhat.values().stream()
                                .anyMatch(o -> o.jobId().equals(a.jobId()) && o.task() == a.task())) {
                            backups++;
                            break;
                        }
                    }
                    running.put(a.attemptId(), new long[] {now + rnd.nextInt(3_000)});
                    runningWhat.put(a.attemptId(), a);
                }
            }

            /** A dependant's task reaches an agent only after each upstream end it needed is committed. */
            void checkUpstreamDurable(Assignment a) {
                JobDefinition d = definitions.get(a.jobId());
                assertThat(d).as("assigned job %s is durable (seed %d)", a.jobId(), seed).isNotNull();
                for (Dependency dep : d.dependencies()) {
                    JobState end = durableEnds.get(dep.jobId());
                    assertThat(end != null && dep.satisfiedBy(end))
                            .as("job %s task %d handed out while upstream %s has durable end %s, needing %s (seed %d)",
                                    a.jobId(), a.task(), dep.jobId(), end, dep.condition(), seed).isTrue();
                }
                if (!d.dependencies().isEmpty()) {
                    released++;
                }
            }

            void finishDueWork() {
                Iterator<Map.Entry<Long, long[]>> it = running.entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<Long, long[]> e = it.next();
                    if (e.getValue()[0] > now) {
                        continue;
                    }
                    Assignment a = runningWhat.remove(e.getKey());
                    it.remove();
                    boolean ok = rnd.nextInt(10) != 0;
                    byte[] value = new byte[] {(byte) a.task()};
                    journal.put(a.attemptId(), new Event.Report(a.attemptId(), a.jobId(), a.task(),
                            ok ? Event.Outcome.SUCCEEDED : Event.Outcome.FAILED, ok ? value : null, ok ? null : "sim failure"));
                }
            }
        }
    }
}
