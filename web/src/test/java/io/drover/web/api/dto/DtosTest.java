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
    void resultsShowInTheCodecTheJobDeclared() {
        byte[] int64 = io.drover.sdk.Codecs.int64().encode(148_933L);
        assertThat(Dtos.result(int64, Optional.of("int64"))).isEqualTo(new ResultJson("int64", "148933", 8, false));
        assertThat(Dtos.result(int64, Optional.empty()).format()).isEqualTo("hex");
        byte[] array = io.drover.sdk.Codecs.int64Array().encode(new long[] {1, 2});
        assertThat(Dtos.result(array, Optional.of("int64-array")).value()).isEqualTo("[1, 2]");
        assertThat(Dtos.result(new byte[] {1, 2, 3}, Optional.of("int64")).format()).as("bytes that do not decode").isEqualTo("hex");
        assertThat(Dtos.result("hi".getBytes(StandardCharsets.UTF_8), Optional.of("com.example.MyCodec")).format())
                .isEqualTo("text");
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
