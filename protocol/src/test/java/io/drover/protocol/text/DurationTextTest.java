package io.drover.protocol.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void agesAreCompact() {
        assertThat(DurationText.age(Duration.ofMillis(999))).isEqualTo("999ms");
        assertThat(DurationText.age(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(DurationText.age(Duration.ofMinutes(182))).isEqualTo("3h02m");
        assertThat(DurationText.age(Duration.ofHours(52))).isEqualTo("2d04h");
    }

    @Test
    void agesKeepTwoUnitsPastAMinute() {
        assertThat(DurationText.age(Duration.ofMinutes(20))).isEqualTo("20m00s");
        assertThat(DurationText.age(Duration.ofHours(2))).isEqualTo("2h00m");
        assertThat(DurationText.age(Duration.ofSeconds(-3))).isEqualTo("-3s");
    }

    @Test
    void settingsAndDeadlinesDropAZeroSecondUnit() {
        assertThat(DurationText.compact(850)).isEqualTo("850ms");
        assertThat(DurationText.compact(252_000)).isEqualTo("4m12s");
        assertThat(DurationText.compact(1_200_000)).isEqualTo("20m");
        assertThat(DurationText.compact(6_948_000)).isEqualTo("1h55m");
        assertThat(DurationText.compact(7_200_000)).isEqualTo("2h");
        assertThat(DurationText.compact(52 * 3_600_000L)).isEqualTo("2d04h");
        assertThat(DurationText.compact(-1_000)).isEqualTo("-1s");
    }

    @Test
    void inSaysNowOnceTheTimeHasCome() {
        assertThat(DurationText.in(720_000)).isEqualTo("in 12m");
        assertThat(DurationText.in(0)).isEqualTo("now");
        assertThat(DurationText.in(-51_000)).isEqualTo("now");
    }
}
