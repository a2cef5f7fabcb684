package io.drover.sdk;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job's task stream as the leader saw it, for timelines: one lane per agent slot, {@code buckets} time buckets
 * of {@code bucketMillis} from {@code from}, and per lane and outcome how many attempts ran in each bucket.
 * Soft state: a new leader starts with an empty stream (attempts it adopts show up as they end), so this is a
 * display aid, never a record of what ran.
 *
 * @param attempts      every attempt, when the job has no more than the number asked for
 * @param truncated     the leader stopped recording this job's attempts at its bound
 * @param totalAttempts attempts of the job the leader holds
 */
public record TaskStream(String jobId, Instant from, long bucketMillis, int buckets, List<Lane> lanes,
                         int totalAttempts, Optional<List<Attempt>> attempts, boolean truncated, Instant generatedAt) {

    /** Outcomes, as {@link Lane#counts()} keys and {@link Attempt#outcome()} values. */
    public static final List<String> OUTCOMES = List.of("RUNNING", "SUCCEEDED", "FAILED", "RETRIED", "CANCELLED", "LOST");

    /**
     * One agent slot's row: {@code counts.get("SUCCEEDED").get(b)} attempts that ended well ran during bucket b.
     *
     * @param slot the slot as the leader numbered them; -1 for attempts whose slot it did not see (adopted after a failover)
     */
    public record Lane(String agentId, int slot, Map<String, List<Integer>> counts) {
    }

    /**
     * One attempt.
     *
     * @param attempt 1 for the task's first attempt the leader saw
     * @param end     empty while it runs
     * @param outcome one of {@link #OUTCOMES}
     */
    public record Attempt(int task, int attempt, String agentId, int slot, Instant start, Optional<Instant> end,
                          String outcome) {
    }
}
