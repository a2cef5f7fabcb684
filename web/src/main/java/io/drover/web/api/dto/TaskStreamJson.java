package io.drover.web.api.dto;

import java.util.List;
import java.util.Map;

/**
 * A job's task stream for the console's timeline: lanes (an agent's slot each) by {@code buckets} time buckets of
 * {@code bucketMillis} from {@code fromMs}; {@code counts} per outcome (RUNNING, SUCCEEDED, FAILED, RETRIED,
 * CANCELLED, LOST; an outcome absent from a lane is left out) how many attempts ran in each bucket. {@code attempts} lists each attempt when the job has at most
 * the number asked for, else null. Soft state of the leader: empty after a failover until attempts end.
 * {@code available} is false when the leader runs a release without the task stream. {@code slots} is how many agent
 * slots ran attempts; {@code grouped} says the lanes are one per agent (slots summed, {@code slot} -1) because there
 * were more slots than the caller asked to draw.
 */
public record TaskStreamJson(String job, boolean available, long fromMs, long bucketMillis, int buckets,
                             int totalAttempts, boolean truncated, long generatedAtMs, int slots, boolean grouped,
                             List<Lane> lanes,
                             List<Attempt> attempts) {
    public TaskStreamJson {
        lanes = List.copyOf(lanes);
        attempts = attempts == null ? null : List.copyOf(attempts);
    }

    /**
     * One agent slot; {@code slot} -1 when the leader did not see which (attempts adopted after a failover), or when
     * the lane is a whole agent's ({@code grouped}).
     */
    public record Lane(String agent, int slot, Map<String, List<Integer>> counts) {
        public Lane {
            counts = Map.copyOf(counts);
        }
    }

    /** One attempt; {@code endMs} null while it runs. */
    public record Attempt(int task, int attempt, String agent, int slot, long startMs, Long endMs, String outcome) {
    }
}
