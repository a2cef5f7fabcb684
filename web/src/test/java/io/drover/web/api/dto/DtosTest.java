package io.drover.web.api.dto;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sdk.JobState;
import io.drover.sdk.ScheduleRun;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DtosTest {
    private static final Instant T = Instant.parse("2026-12-07T02:30:00Z");

    @Test
    void resultsAreTextWhenPrintableElseHex_cutAsTheCliCutsThem() {
        assertThat(Dtos.result("pi=3.14\n\tok".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new ResultJson("text", "pi=3.14\n\tok", 11, false));
        assertThat(Dtos.result(new byte[] {0, 1, (byte) 0xff})).isEqualTo(new ResultJson("hex", "0001ff", 3, false));
        assertThat(Dtos.result("\u001b[2J".getBytes(StandardCharsets.UTF_8)).format()).as("control characters").isEqualTo("hex");

        ResultJson longText = Dtos.result("x".repeat(Dtos.TEXT_CAP + 10).getBytes(StandardCharsets.UTF_8));
        assertThat(longText.value()).hasSize(Dtos.TEXT_CAP);
        assertThat(longText.truncated()).isTrue();
        assertThat(longText.bytes()).isEqualTo(Dtos.TEXT_CAP + 10);
        ResultJson longHex = Dtos.result(new byte[Dtos.HEX_CAP + 1]);
        assertThat(longHex.value()).hasSize(2 * Dtos.HEX_CAP);
        assertThat(longHex.truncated()).isTrue();
    }

    @Test
    void aRunIsOkFailedRunningOrSkipped_andLateFromFiveSecondsOn() {
        ScheduleRun ok = new ScheduleRun(T, T.plusMillis(40), ScheduleRun.Status.STARTED, Optional.of("s@1"),
                Optional.of(JobState.SUCCEEDED), Optional.of(T.plusSeconds(3)), Optional.empty());
        assertThat(Dtos.run(ok).outcome()).isEqualTo("ok");
        assertThat(Dtos.run(ok).late()).isFalse();
        assertThat(Dtos.run(ok).lagMillis()).isEqualTo(40);

        ScheduleRun lateFailed = new ScheduleRun(T, T.plusSeconds(5), ScheduleRun.Status.STARTED, Optional.of("s@2"),
                Optional.of(JobState.FAILED), Optional.empty(), Optional.of("catch-up"));
        assertThat(Dtos.run(lateFailed).outcome()).isEqualTo("failed");
        assertThat(Dtos.run(lateFailed).late()).isTrue();

        ScheduleRun running = new ScheduleRun(T, T, ScheduleRun.Status.MANUAL, Optional.of("s@m"), Optional.empty(),
                Optional.empty(), Optional.empty());
        assertThat(Dtos.run(running).outcome()).isEqualTo("running");

        ScheduleRun skipped = new ScheduleRun(T, T.plusSeconds(60), ScheduleRun.Status.SKIPPED_OVERLAP, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of("overlap FORBID"));
        assertThat(Dtos.run(skipped).outcome()).isEqualTo("skipped");
        assertThat(Dtos.run(skipped).jobId()).isNull();
    }
}
