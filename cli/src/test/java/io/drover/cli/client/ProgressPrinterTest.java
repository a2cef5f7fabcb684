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
}
