package io.drover.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static JobStatus status(JobState state, int total, int succeeded, int failed, int running, int pending) {
        return new JobStatus("job-7", "pi", "ana", state, total, succeeded, failed, running, pending, null,
                Instant.EPOCH, Optional.empty(), List.of(), Optional.empty());
    }

    @Test
    void rendersHalfDone() {
        assertThat(ProgressBar.render(status(JobState.RUNNING, 10, 4, 1, 2, 3), 20, Duration.ofSeconds(12)))
                .isEqualTo("job-7 RUNNING [##########----------]  50% 5/10 done, 1 failed, 2 running, 3 pending 12s");
    }

    @Test
    void rendersEmptyAndFull() {
        assertThat(ProgressBar.render(status(JobState.RUNNING, 3, 0, 0, 0, 3), 4, Duration.ofMillis(5)))
                .isEqualTo("job-7 RUNNING [----]   0% 0/3 done, 0 failed, 0 running, 3 pending 5ms");
        assertThat(ProgressBar.render(status(JobState.SUCCEEDED, 3, 3, 0, 0, 0), 4, Duration.ofSeconds(125)))
                .isEqualTo("job-7 SUCCEEDED [####] 100% 3/3 done, 0 failed, 0 running, 0 pending 2m05s");
    }

    @Test
    void neverOverflowsTheBarAndShowsClockSkewAsZero() {
        String line = ProgressBar.render(status(JobState.RUNNING, 3, 2, 0, 1, 0), 10, Duration.ofSeconds(-3));
        assertThat(line).contains("[######----]  66%").endsWith(" 0ms");
        assertThatThrownBy(() -> ProgressBar.render(status(JobState.RUNNING, 1, 0, 0, 0, 1), 0, Duration.ZERO))
                .hasMessageContaining("barWidth");
    }
}
