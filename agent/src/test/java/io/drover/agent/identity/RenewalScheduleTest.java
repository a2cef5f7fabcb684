package io.drover.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RenewalScheduleTest {
    private final Instant start = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void renewsAtTwoThirdsOfTheLifetime() {
        assertThat(RenewalSchedule.renewAt(start, start.plus(Duration.ofHours(24)))).isEqualTo(start.plus(Duration.ofHours(16)));
        assertThat(RenewalSchedule.renewAt(start, start.plus(Duration.ofMinutes(3)))).isEqualTo(start.plus(Duration.ofMinutes(2)));
    }

    @Test
    void aShortCertificateDatedBackIsRenewedAtTwoThirdsOfTheTimeLeftWhenReceivedNotAtOnce() {
        Instant received = start.plus(Duration.ofMinutes(1)); // the CA dated it a minute back
        Instant end = received.plus(Duration.ofSeconds(21));
        assertThat(RenewalSchedule.renewAt(start, end)).as("from its start: already past").isBefore(received);
        assertThat(RenewalSchedule.renewAt(start, end, received)).isEqualTo(received.plus(Duration.ofSeconds(14)));
        assertThat(RenewalSchedule.renewAt(start, end, start.minusSeconds(5))).as("received before its start")
                .isEqualTo(RenewalSchedule.renewAt(start, end));
    }

    @Test
    void retriesBackOffToFiveMinutesButNeverPastTheEnd() {
        Instant end = start.plus(Duration.ofHours(8));
        assertThat(RenewalSchedule.retryAfter(1, start, end)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RenewalSchedule.retryAfter(2, start, end)).isEqualTo(Duration.ofSeconds(2));
        assertThat(RenewalSchedule.retryAfter(5, start, end)).isEqualTo(Duration.ofSeconds(16));
        assertThat(RenewalSchedule.retryAfter(30, start, end)).isEqualTo(Duration.ofMinutes(5));
        assertThat(RenewalSchedule.retryAfter(30, end.minusSeconds(40), end)).isEqualTo(Duration.ofSeconds(40));
    }
}
