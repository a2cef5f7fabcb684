package io.drover.agent.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.testkit.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline stop bound with a clock in the test's hands: "cut off for hours" is hours of fake time. */
class OfflineStopTest {
    @TempDir
    Path workDir;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final List<String> stops = new ArrayList<>();

    private OfflineStop offline() {
        return new OfflineStop("edge-1", workDir, clock, reason -> {
            stops.add(reason);
            return 2;
        });
    }

    @Test
    void neverToldMeansTasksKeepRunningThroughAnyOutage() {
        OfflineStop offline = offline();
        clock.advance(Duration.ofDays(3));
        assertThat(offline.check()).isZero();
        assertThat(offline.bound()).isZero();
        assertThat(stops).isEmpty();
    }

    @Test
    void pastTheBoundWithoutContactTheRunningTasksStop() {
        OfflineStop offline = offline();
        offline.told(Duration.ofHours(4));
        clock.advance(Duration.ofHours(3));
        offline.contact();
        clock.advance(Duration.ofHours(3).plusMinutes(59));
        assertThat(offline.check()).as("contact an hour in: 3h59m without").isZero();

        clock.advance(Duration.ofMinutes(1));

        assertThat(offline.check()).isEqualTo(2);
        assertThat(stops).singleElement().asString().contains("reached no coordinator for PT4H")
                .contains("offline stop bound of PT4H");
    }

    @Test
    void zeroLiftsTheBound() {
        OfflineStop offline = offline();
        offline.told(Duration.ofMinutes(5));
        offline.told(Duration.ZERO);
        clock.advance(Duration.ofHours(1));
        assertThat(offline.check()).isZero();
    }

    @Test
    void aRestartedAgentRemembersTheBoundFromItsWorkDir() throws Exception {
        offline().told(Duration.ofMinutes(30));
        assertThat(Files.readString(workDir.resolve(OfflineStop.FILE)).strip()).isEqualTo("1800000");

        OfflineStop restarted = offline();

        assertThat(restarted.bound()).isEqualTo(Duration.ofMinutes(30));
        clock.advance(Duration.ofMinutes(30));
        assertThat(restarted.check()).as("counted from the restart").isEqualTo(2);
    }

    @Test
    void aDamagedFileMeansKeepRunning() throws Exception {
        Files.writeString(workDir.resolve(OfflineStop.FILE), "soon\n");
        OfflineStop offline = offline();
        clock.advance(Duration.ofDays(1));
        assertThat(offline.check()).isZero();
    }
}
