package io.drover.coordinator.stream;

/**
 * One attempt as the task stream saw it.
 *
 * @param attempt 1 for the first attempt of the task this leader saw
 * @param slot    the agent's slot as the recorder numbered them, -1 when not known (an attempt adopted after failover)
 * @param endMs   -1 while it runs
 */
public record StreamedAttempt(int task, int attempt, String agentId, int slot, long startMs, long endMs,
                              AttemptOutcome outcome) {
}
