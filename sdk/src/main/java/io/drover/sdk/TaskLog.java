package io.drover.sdk;

import java.nio.charset.StandardCharsets;

/**
 * A task's captured output, read from the agent that ran its newest attempt.
 *
 * @param attemptId the attempt the bytes belong to; 0 when no attempt has started yet (no bytes)
 * @param truncated the output hit the agent's per-stream cap ({@code --log-cap}); later bytes were dropped
 * @param complete  the attempt has ended and {@code data} is all of its output
 */
public record TaskLog(String jobId, int task, LogStream stream, long attemptId, byte[] data, boolean truncated,
                      boolean complete) {
    public TaskLog {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The bytes as UTF-8 text (malformed sequences replaced). */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }
}
