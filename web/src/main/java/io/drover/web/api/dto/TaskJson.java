package io.drover.web.api.dto;

/** One task: index (the reduce task is index shardCount), state, attempts, the agent of its newest attempt, its latest error. */
public record TaskJson(int task, String state, int attempts, String agent, String error) {
}
