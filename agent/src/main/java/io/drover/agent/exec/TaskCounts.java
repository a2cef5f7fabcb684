package io.drover.agent.exec;

/** Totals since the agent started; for metrics and tests. */
public record TaskCounts(long started, long succeeded, long failed, long timedOut, long cancelled, long rejected) {
    @Override
    public String toString() {
        return started + " tasks started: " + succeeded + " succeeded, " + failed + " failed, " + timedOut + " timed out, "
                + cancelled + " cancelled, " + rejected + " rejected";
    }
}
