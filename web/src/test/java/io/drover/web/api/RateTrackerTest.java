package io.drover.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.web.api.dto.Rate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateTrackerTest {
    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");

    @Test
    void theRateIsTheRecentPaceAndTheEtaTheTimeLeftAtIt() {
        RateTracker rates = new RateTracker(10, Duration.ofMinutes(1));
        assertThat(rates.observe("j", T0, 0, 100, T0)).isEmpty();
        rates.observe("j", T0, 10, 100, T0.plusSeconds(10));
        Optional<Rate> r = rates.observe("j", T0, 30, 100, T0.plusSeconds(20));
        // 30 tasks in the 20 s the samples span: 1.5/s, 70 left: 47 s.
        assertThat(r.get().perSecond()).isEqualTo(1.5);
        assertThat(r.get().etaSeconds()).contains(47L);
    }

    @Test
    void samplesOlderThanTheWindowAreDropped_soTheRateFollowsAChangeOfPace() {
        RateTracker rates = new RateTracker(10, Duration.ofSeconds(30));
        for (int s = 0; s <= 60; s += 10) {
            rates.observe("j", T0, s * 10, 10_000, T0.plusSeconds(s)); // 10 tasks/s
        }
        for (int s = 70; s <= 120; s += 10) {
            rates.observe("j", T0, 600 + (s - 60), 10_000, T0.plusSeconds(s)); // 1 task/s
        }
        Rate r = rates.observe("j", T0, 660, 10_000, T0.plusSeconds(120)).orElseThrow();
        assertThat(r.perSecond()).isEqualTo(1.0);
    }

    @Test
    void withoutRecentProgressTheAverageSinceSubmitIsUsed() {
        RateTracker rates = new RateTracker(10, Duration.ofMinutes(1));
        Rate r = rates.observe("j", T0, 50, 100, T0.plusSeconds(100)).orElseThrow();
        assertThat(r.perSecond()).isEqualTo(0.5);
        assertThat(r.etaSeconds()).contains(100L);
    }

    @Test
    void theLeastRecentlySeenJobIsForgottenBeyondTheBound() {
        RateTracker rates = new RateTracker(2, Duration.ofMinutes(1));
        rates.observe("a", T0, 0, 10, T0);
        rates.observe("b", T0, 0, 10, T0);
        rates.observe("c", T0, 0, 10, T0);
        // "a" was forgotten: its earlier sample no longer counts, so this reading stands alone (average since submit).
        Rate a = rates.observe("a", T0, 10, 10, T0.plusSeconds(10)).orElseThrow();
        assertThat(a.perSecond()).isEqualTo(1.0);
        assertThat(a.etaSeconds()).contains(0L);
    }
}
