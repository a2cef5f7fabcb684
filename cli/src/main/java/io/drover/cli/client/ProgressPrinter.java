package io.drover.cli.client;

import io.drover.sdk.JobStatus;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.drover.protocol.text.DurationText;
import io.drover.web.api.RateTracker;
import io.drover.web.api.dto.Rate;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Shows job progress while a command waits. On a terminal it redraws one line in place with
 * {@code \r}; otherwise (pipes, logs, CI) it prints a line when the counts change, and at least
 * every {@link #QUIET_INTERVAL} so a long task does not look hung. While the job runs, the line ends
 * with its pace and the time left at it ({@code 12.5 tasks/s, ETA 1m20s}), measured over the last
 * minute of polls as the HTTP API measures it.
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
    private final RateTracker rates = new RateTracker(1, Duration.ofMinutes(1));

    ProgressPrinter(PrintWriter out, boolean terminal, Clock clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
    }

    @Override
    public void accept(JobStatus status) {
        Instant now = clock.instant();
        String line = ProgressBar.render(status, BAR_WIDTH, Duration.between(status.submittedAt(), now))
                + (status.state().isTerminal() ? "" : pace(rates.observe(status.jobId(), status.submittedAt(),
                        status.succeeded() + status.failed(), status.totalTasks(), now)));
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

    /** ", 12.5 tasks/s, ETA 1m20s", ", 0.02 tasks/s" when the pace is too slow to promise, or "" when unknown. Pure. */
    static String pace(Optional<Rate> rate) {
        if (rate.isEmpty()) {
            return "";
        }
        double r = rate.get().perSecond();
        String perSecond = String.format(Locale.ROOT, r >= 10 ? "%.0f" : r >= 1 ? "%.1f" : "%.2f", r);
        return ", " + perSecond + " tasks/s" + rate.get().etaSeconds()
                .map(s -> ", ETA " + DurationText.age(Duration.ofSeconds(s))).orElse("");
    }
}
