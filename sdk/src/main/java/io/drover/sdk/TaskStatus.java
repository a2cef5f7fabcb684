package io.drover.sdk;

import java.util.Optional;

/**
 * One task of a job: shard index (the reduce task is index shardCount), state, attempts so far, the
 * agent running it or else the agent its newest attempt ran on (absent when not known, e.g. for a
 * task that ended before the current leader took over), its latest error, the straggler backups
 * the leader started for it (0 or 1; the current leader's count) and whether a backup's result won.
 *
 * @param task shard index
 * @param state task state
 * @param attempts attempts so far
 * @param agentId the agent running it, else its newest attempt's
 * @param error its latest error
 * @param backups straggler backups started for it
 * @param backupWon whether a backup's result was the one committed
 */
public record TaskStatus(int task, String state, int attempts, Optional<String> agentId, Optional<String> error,
                         int backups, boolean backupWon) {
    /**
     * A task without backups (or from a coordinator that does not report them).
     *
     * @param task shard index
     * @param state task state
     * @param attempts attempts so far
     * @param agentId the agent running it, else its newest attempt's
     * @param error its latest error
     */
    public TaskStatus(int task, String state, int attempts, Optional<String> agentId, Optional<String> error) {
        this(task, state, attempts, agentId, error, 0, false);
    }
}
