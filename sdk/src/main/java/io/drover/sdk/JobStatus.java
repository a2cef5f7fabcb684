package io.drover.sdk;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A snapshot of a job as the coordinator sees it. */
public record JobStatus(String jobId, String name, String owner, JobState state,
                        int totalTasks, int succeeded, int failed, int running, int pending,
                        String error, Instant submittedAt, Optional<Instant> finishedAt,
                        List<TaskStatus> tasks, Optional<byte[]> resultBytes) {

    /** Tasks cancelled: those neither succeeded, failed, running nor pending (the wire sends no count of its own). */
    public int cancelled() {
        return Math.max(0, totalTasks - succeeded - failed - running - pending);
    }

    /** Fraction of tasks finished (succeeded or failed permanently), 0..1. */
    public double progress() {
        return totalTasks == 0 ? 1.0 : (succeeded + failed) / (double) totalTasks;
    }
}
