package io.drover.cli.client;

import io.drover.http.Json;
import io.drover.sdk.JobStatus;
import io.drover.web.api.RateTracker;
import io.drover.web.api.dto.Dtos;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * {@code drover watch --output json}: one line of JSON per change of the job's state or counts (the job as
 * {@code GET /api/v1/jobs/{id}} answers it, without results, with its pace and ETA), the last one when it ended.
 * One document per line, so {@code jq} and other line readers take each as it comes.
 */
final class JsonProgressPrinter implements Consumer<JobStatus> {
    private final PrintWriter out;
    private final Clock clock;
    private final Json json = new Json();
    private final RateTracker rates = new RateTracker(1, Duration.ofMinutes(1));
    private String lastCounts = "";

    JsonProgressPrinter(PrintWriter out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void accept(JobStatus s) {
        Instant now = clock.instant();
        var rate = rates.observe(s.jobId(), s.submittedAt(), s.succeeded() + s.failed(), s.totalTasks(), now);
        String counts = s.state() + " " + s.succeeded() + " " + s.failed() + " " + s.running() + " " + s.pending();
        if (!counts.equals(lastCounts)) {
            out.println(json.writeString(Dtos.job(s, now, rate)));
            out.flush();
            lastCounts = counts;
        }
    }
}
