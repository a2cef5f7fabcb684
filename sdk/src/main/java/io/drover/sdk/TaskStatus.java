package io.drover.sdk;

import java.util.Optional;

/**
 * One task of a job: shard index (the reduce task is index shardCount), state, attempts so far, the
 * agent running it or else the agent its newest attempt ran on (absent when not known, e.g. for a
 * task that ended before the current leader took over), and its latest error.
 */
public record TaskStatus(int task, String state, int attempts, Optional<String> agentId, Optional<String> error) {
}
