package io.drover.agent.logs;

import java.util.Optional;

/**
 * The answer to a {@link LogRequest}: the bytes from {@code offset} (possibly none), the output's
 * size so far, whether it hit the capture cap, and whether it is complete (the attempt ended and
 * {@code data} reaches the end). {@code error} says why there is no output to read.
 */
public record LogPiece(long requestId, String jobId, int task, long attemptId, StreamKind stream, long offset,
                       byte[] data, long size, boolean truncated, boolean complete, Optional<String> error) {
    public LogPiece {
        data = data == null ? new byte[0] : data;
        error = error == null ? Optional.empty() : error;
    }

    static LogPiece failed(LogRequest r, long attemptId, String error) {
        return new LogPiece(r.requestId(), r.jobId(), r.task(), attemptId, r.stream(), r.offset(), new byte[0], 0, false,
                true, Optional.of(error));
    }
}
