package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobSpec;
import io.drover.sdk.MisfirePolicy;
import io.drover.sdk.ScheduleRun;
import io.drover.sdk.ScheduleSpec;
import io.drover.sdk.ScheduleStatus;
import io.drover.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A daylight-saving transition on real coordinators and ZooKeeper, with the coordinators' clock
 * set by hand to the night Europe/Berlin falls back (31 October 2027, 03:00 CEST → 02:00 CET).
 * The clock lies in the future, so the Quartz triggers (which wait on the real time) never fire
 * here: the leader's next fire times and its catch-up after an outage across the transition are
 * what is checked, and both must be Quartz's CronTrigger times.
 */
class ScheduleDaylightSavingClusterTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final SettableClock clock = new SettableClock(at("2027-10-31T01:40+02:00"));
    private TestingServer zk;
    private final List<CoordinatorServer> live = new ArrayList<>();
    private final List<DroverClient> clients = new ArrayList<>();

    private static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }

    private static List<String> berlin(List<Instant> times) {
        return times.stream().map(t -> t.atZone(BERLIN).toOffsetDateTime().toString()).toList();
    }

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

    private void startLeader() {
        CoordinatorConfig config = CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0)
                .withSessionTimeout(Duration.ofSeconds(3));
        CoordinatorServer s = new CoordinatorServer(config, clock).start();
        live.add(s);
        await().atMost(Duration.ofSeconds(20)).until(s::isLeader);
    }

    private DroverClient client() {
        DroverClient c = DroverClient.builder().endpoints(live.stream().map(CoordinatorServer::endpoint).toList())
                .retryDeadline(Duration.ofSeconds(30)).build();
        clients.add(c);
        return c;
    }

    @Test
    void theLeaderCatchesUpExactlyQuartzsFireTimesAfterAnOutageAcrossFallBack() {
        startLeader();
        ScheduleStatus added = client().addSchedule(ScheduleSpec.builder("quarter", "0 */15 * * * ?",
                JobSpec.process(List.of("true")).build()).zone("Europe/Berlin").misfire(MisfirePolicy.FIRE_ALL)
                .maxCatchUp(100).build());
        assertThat(berlin(added.nextFireTimes())).as("next fire times across the transition").containsExactly(
                "2027-10-31T01:45+02:00", "2027-10-31T02:00+01:00", "2027-10-31T02:15+01:00",
                "2027-10-31T02:30+01:00", "2027-10-31T02:45+01:00");

        // No leader from 01:40 CEST to 03:05 CET: 2 h 25 min of real time, six cron times.
        live.remove(0).close();
        clock.set(at("2027-10-31T03:05+01:00"));
        startLeader();
        DroverClient client = client();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.schedule("quarter").history().size() >= 6);

        ScheduleStatus after = client.schedule("quarter");
        List<ScheduleRun> runs = new ArrayList<>(after.history());
        runs.sort(Comparator.comparing(ScheduleRun::scheduledAt));
        assertThat(berlin(runs.stream().map(ScheduleRun::scheduledAt).toList())).containsExactly(
                "2027-10-31T01:45+02:00", "2027-10-31T02:00+01:00", "2027-10-31T02:15+01:00",
                "2027-10-31T02:30+01:00", "2027-10-31T02:45+01:00", "2027-10-31T03:00+01:00");
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(ScheduleRun.Status.STARTED);
            assertThat(r.note()).hasValue("missed fire time, run late (misfire FIRE_ALL)");
        });
        assertThat(runs).extracting(r -> r.jobId().orElseThrow()).as("run ids: schedule and UTC fire time")
                .containsExactly("quarter@20271030T234500Z", "quarter@20271031T010000Z", "quarter@20271031T011500Z",
                        "quarter@20271031T013000Z", "quarter@20271031T014500Z", "quarter@20271031T020000Z");
        assertThat(berlin(after.nextFireTimes()).get(0)).isEqualTo("2027-10-31T03:15+01:00");
    }

    @Test
    void aDailyTimeInTheSkippedHourHasNoFireOnTheSpringForwardDay() {
        clock.set(at("2027-03-26T12:00+01:00"));
        startLeader();
        ScheduleStatus added = client().addSchedule(ScheduleSpec.builder("nightly", "0 30 2 * * ?",
                JobSpec.process(List.of("true")).build()).zone("Europe/Berlin").build());
        // 28 March 2027: 02:00 CET is 03:00 CEST, 02:30 does not exist.
        assertThat(berlin(added.nextFireTimes()).subList(0, 3)).containsExactly(
                "2027-03-27T02:30+01:00", "2027-03-29T02:30+02:00", "2027-03-30T02:30+02:00");
    }
}
