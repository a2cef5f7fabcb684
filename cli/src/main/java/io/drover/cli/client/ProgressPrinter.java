package io.drover.cli.client;

import io.drover.sdk.JobStatus;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Shows job progress while a command waits. On a terminal it redraws one line in place with
 * {@code \r}; otherwise (pipes, logs, CI) it prints a line when the counts change, and at least
 * every {@link #QUIET_INTERVAL} so a long task does not look hung.
 */
final class ProgressPrinter implements Consumer<JobStatus> {
    static final Duration QUIET_INTERVAL = Duration.ofSeconds(10);
    private static final int BAR_WIDTH = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private final Clock clock;
    private int lastLength;
    private String lastCounts = "";
    private Instant lastPrinted = Instant.MIN;

    ProgressPrinter(PrintWriter out, boolean terminal, Clock clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
    }

    @Override
    public void accept(JobStatus status) {
        Instant now = clock.instant();
        String line = ProgressBar.render(status, BAR_WIDTH, Duration.between(status.submittedAt(), now));
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
            if (status.state().isTerminal()) {
                out.println();
            }
        } else {
            String counts = status.state() + " " + status.succeeded() + " " + status.failed() + " "
                    + status.running() + " " + status.pending();
            if (!counts.equals(lastCounts) || Duration.between(lastPrinted, now).compareTo(QUIET_INTERVAL) >= 0) {
                out.println(line);
                lastCounts = counts;
                lastPrinted = now;
            }
        }
        out.flush();
    }
}
