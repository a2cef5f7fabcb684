package io.drover.coordinator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;
import org.quartz.spi.OperableTrigger;

/**
 * Fire times across daylight-saving transitions in Europe/Berlin (2026: clocks go 02:00 CET →
 * 03:00 CEST on 29 March, and 03:00 CEST → 02:00 CET on 25 October), as Quartz's CronTrigger
 * documentation describes them: a daily time inside the skipped hour does not fire that day; in
 * the repeated hour a cron time fires once, not twice, so an hourly trigger has a two-hour gap.
 *
 * <p>Pure: times go in and out as values. The last tests walk the trigger the leader arms
 * ({@link QuartzTriggers#trigger}) the way Quartz's scheduler does, fire after fire, and check it
 * agrees with {@link CronTimes}, which computes "next" and "missed" for the core.
 */
class CronTimesDaylightSavingTest {
    private static final String BERLIN = "Europe/Berlin";

    private static long at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant().toEpochMilli();
    }

    /** The times as Berlin wall-clock text with the offset, so a test reads like a calendar. */
    private static List<String> berlin(List<Long> times) {
        return times.stream().map(t -> ZonedDateTime.ofInstant(Instant.ofEpochMilli(t), ZoneId.of(BERLIN))
                .toOffsetDateTime().toString()).toList();
    }

    private static List<String> next(String cron, String after, int n) {
        return berlin(CronTimes.next(CronTimes.parse(cron, BERLIN), at(after), n));
    }

    @Test
    void aDailyTimeInsideTheSkippedHourDoesNotFireOnTheSpringForwardDay() {
        assertThat(next("0 30 2 * * ?", "2026-03-27T12:00+01:00", 3)).containsExactly(
                "2026-03-28T02:30+01:00",
                // 29 March: 02:30 does not exist (02:00 CET is 03:00 CEST): no fire that day
                "2026-03-30T02:30+02:00",
                "2026-03-31T02:30+02:00");
    }

    @Test
    void anHourlyTriggerSkipsTheNonexistentHourAtSpringForward() {
        List<Long> times = CronTimes.next(CronTimes.parse("0 0 * * * ?", BERLIN), at("2026-03-29T00:30+01:00"), 4);
        assertThat(berlin(times)).containsExactly(
                "2026-03-29T01:00+01:00", "2026-03-29T03:00+02:00", "2026-03-29T04:00+02:00", "2026-03-29T05:00+02:00");
        assertThat(times.get(1) - times.get(0)).as("one real hour between 01:00 CET and 03:00 CEST").isEqualTo(3_600_000);
    }

    @Test
    void anHourlyTriggerFiresTheRepeatedHourOnceAtFallBack() {
        List<Long> times = CronTimes.next(CronTimes.parse("0 0 * * * ?", BERLIN), at("2026-10-25T00:30+02:00"), 4);
        assertThat(berlin(times)).containsExactly(
                "2026-10-25T01:00+02:00",
                // 02:00 CEST (00:00 UTC) does not fire: Quartz fires 02:00 once, in CET
                "2026-10-25T02:00+01:00",
                "2026-10-25T03:00+01:00",
                "2026-10-25T04:00+01:00");
        assertThat(times.get(1) - times.get(0)).as("two real hours without a fire").isEqualTo(2 * 3_600_000);
    }

    @Test
    void everyQuarterHourHasAnHourWithoutFiresAtFallBackAndADailyTimeInItFiresOnce() {
        assertThat(next("0 */15 * * * ?", "2026-10-25T01:40+02:00", 3)).containsExactly(
                "2026-10-25T01:45+02:00", "2026-10-25T02:00+01:00", "2026-10-25T02:15+01:00");
        assertThat(next("0 30 2 * * ?", "2026-10-24T12:00+02:00", 2)).containsExactly(
                "2026-10-25T02:30+01:00", "2026-10-26T02:30+01:00");
    }

    @Test
    void missedTimesAcrossATransitionAreTheSameTimesNextWouldGive() {
        CronExpression quarterHour = CronTimes.parse("0 */15 * * * ?", BERLIN);
        // A leader outage from 01:40 CEST to 03:05 CET: 2h25m of real time, but only six cron times.
        CronTimes.Missed missed = CronTimes.missed(quarterHour, at("2026-10-25T01:40+02:00"), at("2026-10-25T03:05+01:00"), 100);
        assertThat(missed.count()).isEqualTo(6);
        assertThat(berlin(missed.latest())).containsExactly(
                "2026-10-25T01:45+02:00", "2026-10-25T02:00+01:00", "2026-10-25T02:15+01:00",
                "2026-10-25T02:30+01:00", "2026-10-25T02:45+01:00", "2026-10-25T03:00+01:00");

        CronExpression daily = CronTimes.parse("0 30 2 * * ?", BERLIN);
        CronTimes.Missed spring = CronTimes.missed(daily, at("2026-03-27T12:00+01:00"), at("2026-03-30T12:00+02:00"), 10);
        assertThat(berlin(spring.latest())).containsExactly("2026-03-28T02:30+01:00", "2026-03-30T02:30+02:00");
    }

    @Test
    void theTriggerTheLeaderArmsFiresAtExactlyTheTimesCronTimesComputes() {
        String[] expressions = {"0 30 2 * * ?", "0 0 * * * ?", "0 */15 * * * ?", "0 0/30 1-3 * * ?", "15 59 1 ? * SUN"};
        String[][] windows = {{"2026-03-27T00:00+01:00", "2026-04-01T00:00+02:00"},
            {"2026-10-23T00:00+02:00", "2026-10-28T00:00+01:00"}};
        for (String expression : expressions) {
            for (String[] window : windows) {
                CronExpression cron = CronTimes.parse(expression, BERLIN);
                long from = at(window[0]);
                long to = at(window[1]);
                List<Long> quartz = firesOfArmedTrigger(cron, from, to);
                List<Long> ours = CronTimes.missed(CronTimes.parse(expression, BERLIN), from - 1, to, 10_000).latest();
                assertThat(quartz).as("%s from %s", expression, window[0]).isNotEmpty().isEqualTo(ours);
            }
        }
    }

    /**
     * Walks a trigger as Quartz's scheduler does: first fire time when it is scheduled, then
     * {@code triggered()} after each fire moves it to the next.
     */
    private static List<Long> firesOfArmedTrigger(CronExpression cron, long fromMs, long toMs) {
        OperableTrigger trigger = (OperableTrigger) QuartzTriggers.trigger("dst", cron, fromMs);
        List<Long> fires = new ArrayList<>();
        trigger.computeFirstFireTime(null);
        while (trigger.getNextFireTime() != null && trigger.getNextFireTime().getTime() <= toMs) {
            fires.add(trigger.getNextFireTime().getTime());
            trigger.triggered(null);
        }
        return fires;
    }
}
