package io.drover.agent.logs;

import io.drover.protocol.WireLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongPredicate;

/**
 * Reads pieces of attempts' captured output for {@link LogRequest}s. An attempt counts as ended
 * when it no longer runs here and its files are closed; only then is a piece that reaches the end
 * {@code complete}, so a follower knows no more bytes will come.
 */
public final class LogReader {
    private final TaskOutputs outputs;
    private final LongPredicate running;

    /** {@code running}: whether this agent still runs the attempt with that id. */
    public LogReader(TaskOutputs outputs, LongPredicate running) {
        this.outputs = outputs;
        this.running = running;
    }

    public LogPiece read(LogRequest r) {
        try {
            OptionalLong attempt = r.attemptId() > 0 ? OptionalLong.of(r.attemptId()) : outputs.newestAttempt(r.jobId(), r.task());
            if (attempt.isEmpty()) {
                return LogPiece.failed(r, 0, "no output of task " + r.task() + " of job " + r.jobId() + " on this agent");
            }
            return read(r, attempt.getAsLong());
        } catch (IOException e) {
            return LogPiece.failed(r, r.attemptId(), "cannot read the output of task " + r.task() + " of job " + r.jobId()
                    + ": " + e);
        }
    }

    private LogPiece read(LogRequest r, long attemptId) throws IOException {
        Path file = outputs.output(r.jobId(), r.task(), attemptId, r.stream());
        boolean ended = !running.test(attemptId) && !outputs.isOpen(file);
        boolean truncated = Files.exists(TaskOutputs.truncationMarker(file));
        if (!Files.exists(file)) {
            if (!ended) {
                return piece(r, attemptId, new byte[0], 0, false, false); // not created yet
            }
            if (Files.isDirectory(file.getParent())) {
                // A worker JVM creates an attempt's file on its first write: no file, nothing printed.
                return piece(r, attemptId, new byte[0], 0, truncated, true);
            }
            String why = "the output of task " + r.task() + " of job " + r.jobId() + " is not on this agent (the attempt printed "
                    + "nothing, or log retention removed it, or an in-agent JVM task, whose output is not captured)";
            return LogPiece.failed(r, attemptId, why);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long from = Math.min(r.offset(), size);
            int length = (int) Math.max(0, Math.min(Math.min(r.maxBytes(), WireLimits.LOG_CHUNK_BYTES), size - from));
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) >= 0) {
                // FileChannel may return fewer bytes than asked; keep reading up to length.
            }
            byte[] data = new byte[buffer.position()];
            buffer.flip().get(data);
            return piece(r, attemptId, data, size, truncated, ended && from + data.length >= size);
        } catch (NoSuchFileException e) {
            return LogPiece.failed(r, attemptId, "the output of task " + r.task() + " of job " + r.jobId()
                    + " was removed by log retention");
        }
    }

    private static LogPiece piece(LogRequest r, long attemptId, byte[] data, long size, boolean truncated, boolean complete) {
        return new LogPiece(r.requestId(), r.jobId(), r.task(), attemptId, r.stream(), r.offset(), data, size, truncated,
                complete, Optional.empty());
    }
}
