package io.drover.agent.exec;

/** Totals since the agent started; for metrics and tests. */
public record TaskCounts(long started, long succeeded, long failed, long timedOut, long cancelled, long rejected) {
}
