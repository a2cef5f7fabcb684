package io.drover.cli.client;

import io.drover.protocol.text.DurationText;
import io.drover.sdk.JobStatus;
import java.time.Duration;

/**
 * Renders a job's progress as one line, e.g.
 * {@code job-7 RUNNING [##########----------]  50% 5/10 done, 0 failed, 2 running, 3 pending 12s}.
 * A pure function of its inputs, so the watch loop stays trivial and the format is unit-tested.
 */
public final class ProgressBar {
    private ProgressBar() {
    }

    /**
     * @param barWidth number of cells between the brackets, at least 1
     * @param elapsed  time since the job was submitted; negative values (clock skew) show as 0s
     */
    public static String render(JobStatus s, int barWidth, Duration elapsed) {
        if (barWidth < 1) {
            throw new IllegalArgumentException("barWidth must be at least 1, was " + barWidth);
        }
        int done = s.succeeded() + s.failed();
        double fraction = Math.max(0, Math.min(1, s.progress()));
        int filled = (int) Math.floor(fraction * barWidth);
        StringBuilder line = new StringBuilder(barWidth + 96);
        line.append(SafeText.of(s.jobId())).append(' ').append(s.state()).append(" [")
                .append("#".repeat(filled)).append("-".repeat(barWidth - filled)).append("] ")
                .append(String.format("%3d%%", (int) Math.floor(fraction * 100)))
                .append(' ').append(done).append('/').append(s.totalTasks()).append(" done, ")
                .append(s.failed()).append(" failed, ")
                .append(s.running()).append(" running, ")
                .append(s.pending()).append(" pending ")
                .append(DurationText.age(elapsed.isNegative() ? Duration.ZERO : elapsed));
        return line.toString();
    }
}
