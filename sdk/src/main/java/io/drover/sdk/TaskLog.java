package io.drover.sdk;

import java.nio.charset.StandardCharsets;

/**
 * A task's captured output, read from the agent that ran its newest attempt.
 *
 * @param jobId     the job
 * @param task      the task: a shard index, or the reduce task
 * @param stream    stdout or stderr
 * @param attemptId the attempt the bytes belong to; 0 when no attempt has started yet (no bytes)
 * @param truncated the output hit the agent's per-stream cap ({@code --log-cap}); later bytes were dropped
 * @param complete  the attempt has ended and {@code data} is all of its output
 * @param data      the bytes
 */
public record TaskLog(String jobId, int task, LogStream stream, long attemptId, byte[] data, boolean truncated,
                      boolean complete) {
    /**
     * Copies the bytes.
     *
     * @param jobId as the record component
     * @param task as the record component
     * @param stream as the record component
     * @param attemptId as the record component
     * @param data as the record component
     * @param truncated as the record component
     * @param complete as the record component
     */
    public TaskLog {
        data = data.clone();
    }

    /** {@return a copy of the bytes} */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** {@return the bytes as UTF-8 text (malformed sequences replaced)} */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }
}
