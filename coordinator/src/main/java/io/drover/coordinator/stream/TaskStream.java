package io.drover.coordinator.stream;

import java.util.List;
import java.util.Optional;

/**
 * A job's task stream, aggregated: one lane per agent slot, {@code buckets} time buckets of {@code bucketMs}
 * from {@code fromMs}, and per lane and outcome how many attempts ran in each bucket. {@code attempts} holds
 * every attempt when the job has few enough.
 */
public record TaskStream(String jobId, long fromMs, long bucketMs, int buckets, List<Lane> lanes, int totalAttempts,
                         Optional<List<StreamedAttempt>> attempts, boolean truncated, long generatedAtMs) {

    /** One agent slot: {@code counts[outcome.ordinal()][bucket]}. */
    public record Lane(String agentId, int slot, int[][] counts) {
        public int[] counts(AttemptOutcome outcome) {
            return counts[outcome.ordinal()];
        }
    }
}
