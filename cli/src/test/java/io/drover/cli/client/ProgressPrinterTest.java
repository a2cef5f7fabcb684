package io.drover.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sdk.JobState;
import io.drover.sdk.JobStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    private final StringWriter text = new StringWriter();
    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(7), ZoneOffset.UTC);

    private static JobStatus status(String id, JobState state, int succeeded, int pending) {
        return new JobStatus(id, "n", "o", state, succeeded + pending, succeeded, 0, 0, pending, null,
                Instant.EPOCH, Optional.empty(), List.of(), Optional.empty());
    }

    @Test
    void onATerminalRedrawsOneLineAndErasesLeftovers() {
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), true, clock);

        printer.accept(status("job-long-id", JobState.RUNNING, 0, 2));
        printer.accept(status("j", JobState.SUCCEEDED, 2, 0));

        String[] frames = text.toString().split("\r", -1);
        assertThat(frames).hasSize(3);
        assertThat(frames[1]).startsWith("job-long-id RUNNING [").doesNotContain("\n");
        assertThat(frames[2]).startsWith("j SUCCEEDED [").endsWith(" \n");
        assertThat(frames[2].stripTrailing().length()).isLessThan(frames[1].length());
        assertThat(frames[2].length() - 1).isEqualTo(frames[1].length());
    }

    @Test
    void offATerminalPrintsOnlyWhenSomethingChanged() {
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), false, clock);

        printer.accept(status("j", JobState.RUNNING, 0, 2));
        printer.accept(status("j", JobState.RUNNING, 0, 2));
        printer.accept(status("j", JobState.RUNNING, 1, 1));
        printer.accept(status("j", JobState.SUCCEEDED, 2, 0));

        assertThat(text.toString().lines()).hasSize(3).noneMatch(l -> l.contains("\r"));
    }

    @Test
    void whileTheJobRunsTheLineShowsItsPaceAndEta() {
        io.drover.testkit.SettableClock now = new io.drover.testkit.SettableClock(Instant.EPOCH.plusSeconds(10));
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), false, now);

        printer.accept(status("j", JobState.RUNNING, 10, 90)); // 10 in 10 s since submit: 1/s
        now.advance(java.time.Duration.ofSeconds(10));
        printer.accept(status("j", JobState.RUNNING, 40, 60)); // 30 in the last 10 s: 3/s, 60 left
        now.advance(java.time.Duration.ofSeconds(10));
        printer.accept(status("j", JobState.SUCCEEDED, 100, 0));

        List<String> lines = text.toString().lines().toList();
        assertThat(lines.get(0)).endsWith(", 1.0 tasks/s, ETA 1m30s");
        assertThat(lines.get(1)).endsWith(", 3.0 tasks/s, ETA 20s");
        assertThat(lines.get(2)).doesNotContain("tasks/s").doesNotContain("ETA");
    }

    @Test
    void thePaceReadsWell() {
        assertThat(ProgressPrinter.pace(Optional.empty())).isEmpty();
        assertThat(ProgressPrinter.pace(Optional.of(new io.drover.web.api.dto.Rate(125.4, Optional.of(3_700L)))))
                .isEqualTo(", 125 tasks/s, ETA 1h01m");
        assertThat(ProgressPrinter.pace(Optional.of(new io.drover.web.api.dto.Rate(0.0123, Optional.empty()))))
                .isEqualTo(", 0.01 tasks/s");
    }
}
