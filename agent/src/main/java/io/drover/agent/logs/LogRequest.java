package io.drover.agent.logs;

/**
 * The coordinator asks for a piece of an attempt's captured output (it cannot dial the agent, so
 * the request rides on a heartbeat reply). {@code attemptId} 0 means the task's newest attempt here.
 */
public record LogRequest(long requestId, String jobId, int task, long attemptId, StreamKind stream, long offset,
                         int maxBytes) {
}
