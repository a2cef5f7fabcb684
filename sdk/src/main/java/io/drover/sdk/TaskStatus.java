package io.drover.sdk;

import java.util.Optional;

/** One task of a job: shard index (the reduce task is index shardCount), state, attempts so far. */
public record TaskStatus(int task, String state, int attempts, Optional<String> agentId, Optional<String> error) {
}
