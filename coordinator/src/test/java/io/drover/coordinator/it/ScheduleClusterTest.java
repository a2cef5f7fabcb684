package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.core.Fact;
import io.drover.coordinator.core.ScheduleChange;
import io.drover.coordinator.core.ScheduleRun.Status;
import io.drover.coordinator.store.ZkCoordinatorStore;
import io.drover.sdk.DroverClient;
import io.drover.sdk.InvalidJobException;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobState;
import io.drover.sdk.MisfirePolicy;
import io.drover.sdk.OverlapPolicy;
import io.drover.sdk.ScheduleRun;
import io.drover.sdk.ScheduleSpec;
import io.drover.sdk.ScheduleStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schedules on real coordinators, real ZooKeeper and real Thrift, through the public SDK. No
 * agents: a run's job stays pending, which is what a slow run looks like to the overlap policy.
 * Every-second cron expressions keep the waits short.
 */
class ScheduleClusterTest {
    private static final String EVERY_SECOND = "* * * * * ?";
    private TestingServer zk;
    private final List<CoordinatorServer> live = new ArrayList<>();
    private final List<DroverClient> clients = new ArrayList<>();

    @BeforeEach
    void startZooKeeper() throws Exception {
        zk = new TestingServer(true);
    }

    @AfterEach
    void stopAll() throws Exception {
        clients.forEach(DroverClient::close);
        live.forEach(CoordinatorServer::close);
        zk.close();
    }

    private CoordinatorServer coordinator() {
        CoordinatorConfig config = CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0)
                .withSessionTimeout(Duration.ofSeconds(3));
        CoordinatorServer s = new CoordinatorServer(config, Clock.systemUTC()).start();
        live.add(s);
        return s;
    }

    private CoordinatorServer leader() {
        await().atMost(Duration.ofSeconds(20)).until(() -> live.stream().anyMatch(CoordinatorServer::isLeader));
        return live.stream().filter(CoordinatorServer::isLeader).findFirst().orElseThrow();
    }

    /** A client that knows every live coordinator. */
    private DroverClient client() {
        DroverClient c = DroverClient.builder().endpoints(live.stream().map(CoordinatorServer::endpoint).toList())
                .retryDeadline(Duration.ofSeconds(30)).build();
        clients.add(c);
        return c;
    }

    private static ScheduleSpec.Builder everySecond(String name) {
        return ScheduleSpec.builder(name, EVERY_SECOND, JobSpec.process(List.of("true")).build());
    }

    private static List<ScheduleRun> oldestFirst(ScheduleStatus s) {
        List<ScheduleRun> runs = new ArrayList<>(s.history());
        runs.sort(Comparator.comparing(ScheduleRun::scheduledAt).thenComparing(ScheduleRun::firedAt));
        return runs;
    }

    private static List<ScheduleRun> started(ScheduleStatus s) {
        return oldestFirst(s).stream().filter(r -> r.status() == ScheduleRun.Status.STARTED).toList();
    }

    @Test
    void aScheduleEverySecondStartsOneRunPerSecondNamedAfterIt() {
        coordinator();
        leader();
        DroverClient client = client();
        ScheduleStatus added = client.addSchedule(everySecond("tick").build());
        assertThat(added.nextFireTimes()).hasSize(5).allSatisfy(t -> assertThat(t.toEpochMilli() % 1000).isZero());
        assertThat(client.addSchedule(everySecond("tick").build()).createdAt()).as("re-adding is a retry").isEqualTo(added.createdAt());

        await().atMost(Duration.ofSeconds(15)).until(() -> started(client.schedule("tick")).size() >= 6);
        ScheduleStatus s = client.removeSchedule("tick");
        List<ScheduleRun> runs = started(s);
        // Every whole second from the first fire on has exactly one run, with its own job.
        Instant first = runs.get(0).scheduledAt();
        assertThat(first).isAfter(added.createdAt()).isBefore(added.createdAt().plusMillis(1001));
        for (int i = 0; i < runs.size(); i++) {
            assertThat(runs.get(i).scheduledAt()).isEqualTo(first.plusSeconds(i));
            assertThat(runs.get(i).firedAt()).isAfterOrEqualTo(runs.get(i).scheduledAt());
        }
        assertThat(runs).extracting(r -> r.jobId().orElseThrow()).doesNotHaveDuplicates();
        var job = client.job(runs.get(0).jobId().orElseThrow()).status();
        assertThat(job.name()).isEqualTo("tick");
        assertThat(job.state()).isEqualTo(JobState.RUNNING);

        int total = s.history().size();
        await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(client.schedules()).isEmpty();
        assertThat(client.jobs(100)).filteredOn(j -> j.name().equals("tick")).hasSize(total);
    }

    @Test
    void badSchedulesGetClearErrorsAtCreation() {
        coordinator();
        leader();
        DroverClient client = client();
        assertThatThrownBy(() -> client.addSchedule(ScheduleSpec.builder("c", "0 0 25 * * ?",
                JobSpec.process(List.of("true")).build()).build()))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("invalid cron expression '0 0 25 * * ?'").hasMessageContaining("Hour values must be between 0 and 23");
        assertThatThrownBy(() -> client.addSchedule(ScheduleSpec.builder("c", "0 0 0 ? * MON-FRI",
                JobSpec.jvmArtifact("0".repeat(64), "x.Job").build()).build()))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("artifact " + "0".repeat(64) + " has not been uploaded");
        assertThatThrownBy(() -> client.schedule("nope")).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("unknown schedule nope");
        client.addSchedule(everySecond("same").build());
        assertThatThrownBy(() -> client.addSchedule(everySecond("same").overlap(OverlapPolicy.FORBID).build()))
                .hasMessageContaining("already exists with a different definition");
    }

    @Test
    void pauseStopsFiresAndResumeHandsTheMissedOnesToTheMisfirePolicy() {
        coordinator();
        leader();
        DroverClient client = client();
        client.addSchedule(everySecond("p").build());
        await().atMost(Duration.ofSeconds(10)).until(() -> started(client.schedule("p")).size() >= 2);
        ScheduleStatus paused = client.pauseSchedule("p");
        assertThat(paused.nextFireTimes()).isEmpty();
        int before = client.schedule("p").history().size();
        await().pollDelay(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(client.schedule("p").history()).as("no fires while paused").hasSize(before);

        client.resumeSchedule("p");
        await().atMost(Duration.ofSeconds(5)).until(() -> client.schedule("p").history().size() > before);
        ScheduleRun catchUp = client.schedule("p").history().stream()
                .filter(r -> r.note().orElse("").contains("missed")).findFirst().orElseThrow();
        assertThat(catchUp.status()).isEqualTo(ScheduleRun.Status.STARTED);
        assertThat(catchUp.note().orElseThrow()).matches("one run for [3-9] missed fire times \\(misfire FIRE_ONCE_NOW\\)");
        await().atMost(Duration.ofSeconds(5)).until(() -> started(client.schedule("p")).size() >= 2 + 1 + 2);
    }

    @Test
    void misfirePoliciesAfterAnOutageOfSeveralPeriods() {
        coordinator();
        leader();
        DroverClient client = client();
        client.addSchedule(everySecond("skip").misfire(MisfirePolicy.SKIP).build());
        client.addSchedule(everySecond("once").misfire(MisfirePolicy.FIRE_ONCE_NOW).build());
        client.addSchedule(everySecond("all").misfire(MisfirePolicy.FIRE_ALL).maxCatchUp(3).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> started(client.schedule("all")).size() >= 1);

        live.remove(0).close(); // no coordinator at all for about five periods
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        coordinator();
        leader();
        DroverClient after = client();
        await().atMost(Duration.ofSeconds(10)).until(() -> after.schedule("all").history().stream()
                .anyMatch(r -> r.status() == ScheduleRun.Status.SKIPPED_MISFIRE));

        ScheduleRun skip = after.schedule("skip").history().stream()
                .filter(r -> r.status() == ScheduleRun.Status.SKIPPED_MISFIRE).findFirst().orElseThrow();
        assertThat(skip.note().orElseThrow()).matches("[4-9] missed fire time\\(s\\) skipped \\(misfire SKIP\\)");
        ScheduleRun once = after.schedule("once").history().stream()
                .filter(r -> r.note().orElse("").contains("FIRE_ONCE_NOW")).findFirst().orElseThrow();
        assertThat(once.jobId()).isPresent();
        assertThat(once.lag()).isGreaterThan(Duration.ZERO);

        List<ScheduleRun> all = oldestFirst(after.schedule("all"));
        ScheduleRun dropped = all.stream().filter(r -> r.status() == ScheduleRun.Status.SKIPPED_MISFIRE).findFirst().orElseThrow();
        List<ScheduleRun> caughtUp = all.stream().filter(r -> r.note().orElse("").contains("FIRE_ALL")).toList();
        assertThat(caughtUp).hasSize(3);
        assertThat(caughtUp.get(1).scheduledAt()).isEqualTo(caughtUp.get(0).scheduledAt().plusSeconds(1));
        assertThat(caughtUp.get(2).scheduledAt()).isEqualTo(caughtUp.get(0).scheduledAt().plusSeconds(2));
        assertThat(dropped.scheduledAt()).isEqualTo(caughtUp.get(0).scheduledAt().minusSeconds(1));
        assertThat(dropped.note().orElseThrow()).contains("beyond maxCatchUp 3 skipped");
        // Whatever happened, no cron time has two runs.
        for (String name : List.of("skip", "once", "all")) {
            assertThat(started(after.schedule(name))).extracting(ScheduleRun::scheduledAt).doesNotHaveDuplicates();
        }
    }

    @Test
    void overlapForbidSkipsAndReplaceCancelsWhileARunIsStillGoing() {
        coordinator();
        leader();
        DroverClient client = client();
        client.addSchedule(everySecond("forbid").overlap(OverlapPolicy.FORBID).build());
        client.addSchedule(everySecond("replace").overlap(OverlapPolicy.REPLACE).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> client.schedule("forbid").history().size() >= 3
                && client.schedule("replace").history().size() >= 3);

        List<ScheduleRun> forbid = oldestFirst(client.schedule("forbid"));
        assertThat(forbid.get(0).status()).isEqualTo(ScheduleRun.Status.STARTED);
        assertThat(forbid.subList(1, forbid.size())).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(ScheduleRun.Status.SKIPPED_OVERLAP);
            assertThat(r.note().orElseThrow()).contains(forbid.get(0).jobId().orElseThrow());
        });
        assertThatThrownBy(() -> client.runScheduleNow("forbid")).hasMessageContaining("forbids overlapping runs");
        client.job(forbid.get(0).jobId().orElseThrow()).cancel();
        await().atMost(Duration.ofSeconds(5)).until(() -> started(client.schedule("forbid")).size() == 2);

        List<ScheduleRun> replace = oldestFirst(client.schedule("replace"));
        for (int i = 0; i + 1 < replace.size(); i++) {
            String previous = replace.get(i).jobId().orElseThrow();
            assertThat(client.job(previous).status().state()).isEqualTo(JobState.CANCELLED);
            assertThat(replace.get(i + 1).note().orElseThrow()).isEqualTo("replaced " + previous);
        }
        ScheduleRun manual = client.runScheduleNow("replace");
        assertThat(manual.status()).isEqualTo(ScheduleRun.Status.MANUAL);
        assertThat(client.job(manual.jobId().orElseThrow()).status().name()).isEqualTo("replace");
    }

    /**
     * A schedule whose run is a workflow: run-now submits both jobs at once, the downstream job
     * waits on the same fire's upstream job, FORBID holds while any job of the fire is unfinished,
     * and a new leader shows the same fire with the same jobs.
     */
    @Test
    void aWorkflowScheduleSubmitsEveryJobOfAFireAtOnceAndForbidWaitsForAllOfThem() {
        coordinator();
        coordinator();
        CoordinatorServer first = leader();
        DroverClient client = client();
        io.drover.sdk.Workflow etl = io.drover.sdk.Workflow.builder()
                .job("extract", JobSpec.process(List.of("true")).build())
                .job("load", JobSpec.process(List.of("true")).dependsOn("extract").build())
                .build();
        ScheduleStatus added = client.addSchedule(ScheduleSpec.builder("etl", "0 0 0 1 1 ? 2099", etl)
                .overlap(OverlapPolicy.FORBID).build());
        assertThat(added.spec().workflow()).hasValueSatisfying(w -> assertThat(w.jobs()).containsOnlyKeys("extract", "load"));

        ScheduleRun run = client.runScheduleNow("etl");
        assertThat(run.jobId()).isEmpty();
        assertThat(run.workflowJobs()).containsOnlyKeys("extract", "load");
        String extract = run.workflowJobs().get("extract");
        String load = run.workflowJobs().get("load");
        assertThat(client.job(load).status().state()).isEqualTo(JobState.WAITING);
        assertThat(client.job(load).status().dependencies()).extracting(io.drover.sdk.Dependency.Status::jobId)
                .containsExactly(extract);
        assertThat(client.job(load).status().name()).isEqualTo("etl.load");

        client.job(load).cancel(); // extract still runs (no agents: pending), so the fire still runs
        assertThatThrownBy(() -> client.runScheduleNow("etl")).hasMessageContaining("forbids overlapping runs")
                .hasMessageContaining(extract);

        first.close();
        live.remove(first);
        leader();
        ScheduleRun after = client.schedule("etl").history().get(0);
        assertThat(after.workflowJobs()).isEqualTo(run.workflowJobs());
        client.job(extract).cancel();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.schedule("etl").history().get(0).jobState().isPresent());
        assertThat(client.schedule("etl").history().get(0).jobState()).contains(JobState.CANCELLED);
        assertThat(client.runScheduleNow("etl").workflowJobs()).hasSize(2).doesNotContainValue(extract);

        assertThatThrownBy(() -> client.addSchedule(ScheduleSpec.builder("outside", "0 0 0 1 1 ? 2099",
                io.drover.sdk.Workflow.builder().job("a", JobSpec.process(List.of("true")).dependsOn(extract).build()).build())
                .build())).isInstanceOf(InvalidJobException.class).hasMessageContaining("may only depend on its own jobs");
    }

    /**
     * Failover: the leader is closed just before or just after a fire time, six times, with a
     * standby taking over each time. With FIRE_ALL nothing may be lost, and no cron time may have
     * two runs: checked through the API and in the fact log itself.
     */
    @Test
    void failoverJustBeforeAndJustAfterFireTimesNeitherDuplicatesNorLosesARun() throws Exception {
        coordinator();
        leader();
        coordinator();
        DroverClient client = client();
        client.addSchedule(everySecond("failover").misfire(MisfirePolicy.FIRE_ALL).maxCatchUp(100).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> !started(client.schedule("failover")).isEmpty());
        for (int round = 0; round < 6; round++) {
            long fireAt = (System.currentTimeMillis() / 1000 + 2) * 1000;
            long killAt = round % 2 == 0 ? fireAt - 30 : fireAt + 3;
            await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> System.currentTimeMillis() >= killAt);
            CoordinatorServer old = leader();
            live.remove(old);
            old.close();
            coordinator(); // a fresh standby for the next round
            leader();
        }
        DroverClient after = client();
        long end = System.currentTimeMillis() / 1000 * 1000;
        await().atMost(Duration.ofSeconds(10)).until(() -> started(after.schedule("failover")).stream()
                .anyMatch(r -> r.scheduledAt().toEpochMilli() >= end));
        ScheduleStatus s = after.pauseSchedule("failover");
        List<ScheduleRun> runs = started(s);
        Instant first = runs.get(0).scheduledAt();
        assertThat(runs).extracting(ScheduleRun::scheduledAt).doesNotHaveDuplicates();
        for (int i = 0; i < runs.size(); i++) {
            assertThat(runs.get(i).scheduledAt()).as("run %d", i).isEqualTo(first.plusSeconds(i));
        }
        assertThat(runs.size()).isGreaterThanOrEqualTo(12);
        printHistory(s);

        // The fact log: one job per cron time, one STARTED record per cron time.
        try (CuratorFramework c = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            c.start();
            List<Fact> log = new ZkCoordinatorStore(c, "/drover").readLog();
            Map<String, Integer> jobsByKey = new HashMap<>();
            Map<Long, Integer> startedByTime = new HashMap<>();
            for (Fact f : log) {
                if (f instanceof Fact.JobAccepted a && a.definition().idempotencyKey().startsWith("schedule:failover@")) {
                    jobsByKey.merge(a.definition().idempotencyKey(), 1, Integer::sum);
                }
                if (f instanceof Fact.ScheduleChanged ch && ch.change() instanceof ScheduleChange.Ran r
                        && r.run().status() == Status.STARTED) {
                    startedByTime.merge(r.run().scheduledMs(), 1, Integer::sum);
                }
            }
            assertThat(jobsByKey.values()).allMatch(n -> n == 1);
            assertThat(startedByTime.values()).allMatch(n -> n == 1);
            assertThat(startedByTime.keySet()).containsAll(runs.stream().map(r -> r.scheduledAt().toEpochMilli()).toList());
        }
    }

    private static void printHistory(ScheduleStatus s) {
        StringBuilder out = new StringBuilder("history of schedule " + s.name() + " across 6 failovers:\n");
        for (ScheduleRun r : oldestFirst(s)) {
            out.append(String.format("  %s  fired +%4d ms  %-8s %-9s %s%n", r.scheduledAt(), r.lag().toMillis(), r.status(),
                    r.jobId().orElse("-"), r.note().orElse("")));
        }
        System.out.print(out);
    }
}
