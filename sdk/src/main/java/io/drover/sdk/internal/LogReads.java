package io.drover.sdk.internal;

import io.drover.sdk.DroverException;
import io.drover.sdk.LogStream;
import io.drover.sdk.TaskLog;
import io.drover.protocol.thrift.JobView;
import io.drover.protocol.thrift.LogChunk;
import io.drover.protocol.thrift.TaskView;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads a task's captured output through the coordinator, which relays each read to the agent
 * holding it. Reads follow the task's newest attempt: when a retry starts, reading starts over
 * from the new attempt's first byte. A read the agent did not answer in time (size -1) is asked again.
 */
public final class LogReads {
    /** The task index that stands for a job's reduce step. */
    public static final int REDUCE_TASK = -1;
    private static final int CHUNK_BYTES = 256 * 1024;
    private static final long WAIT_MS = 10_000;
    private static final long FIRST_PAUSE_MS = 100;
    private static final long MAX_PAUSE_MS = 1_000;
    /** A one-off read gives up after this many unanswered tries in a row. */
    private static final int MAX_UNANSWERED = 3;
    private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private final ClientConnection connection;

    public LogReads(ClientConnection connection) {
        this.connection = connection;
    }

    /** Everything the newest attempt wrote so far. */
    public TaskLog readAll(String jobId, int task, LogStream stream) {
        int index = resolve(jobId, task);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long attempt = -1;
        int unanswered = 0;
        while (true) {
            LogChunk c = read(jobId, index, stream, out.size());
            if (c.getSize() < 0) {
                if (++unanswered >= MAX_UNANSWERED) {
                    throw new DroverException("the agent holding the output of task " + index + " of job " + jobId
                            + " did not answer within " + (MAX_UNANSWERED * WAIT_MS / 1000) + " s");
                }
                continue;
            }
            unanswered = 0;
            if (attempt >= 0 && c.getAttemptId() != attempt) {
                out.reset(); // a newer attempt started while reading: read that one from its start
                attempt = c.getAttemptId();
                continue;
            }
            attempt = c.getAttemptId();
            byte[] data = c.getData();
            out.write(data, 0, data.length);
            if (data.length == 0 || out.size() >= c.getSize()) {
                return new TaskLog(jobId, index, stream, attempt, out.toByteArray(), c.isTruncated(),
                        c.isComplete() && out.size() >= c.getSize());
            }
        }
    }

    /**
     * At most {@code maxBytes} of the newest attempt's output from {@code offset} (one read: no more when the
     * attempt has not written that far yet). The returned log's data starts at {@code offset}.
     */
    public TaskLog readFrom(String jobId, int task, LogStream stream, long offset, int maxBytes) {
        if (offset < 0 || maxBytes < 1 || maxBytes > CHUNK_BYTES) {
            throw new IllegalArgumentException("offset must be >= 0 and maxBytes 1.." + CHUNK_BYTES + "; got " + offset
                    + " and " + maxBytes);
        }
        int index = resolve(jobId, task);
        for (int unanswered = 0; unanswered < MAX_UNANSWERED; unanswered++) {
            LogChunk c = read(jobId, index, stream, offset, maxBytes);
            if (c.getSize() >= 0) {
                byte[] data = c.getData();
                return new TaskLog(jobId, index, stream, c.getAttemptId(), data, c.isTruncated(),
                        c.isComplete() && offset + data.length >= c.getSize());
            }
        }
        throw new DroverException("the agent holding the output of task " + index + " of job " + jobId
                + " did not answer within " + (MAX_UNANSWERED * WAIT_MS / 1000) + " s");
    }

    /**
     * Hands {@code sink} the newest attempt's output as it grows, until the task has ended and all
     * of its last attempt's output was handed over. A retry's output follows its predecessor's.
     * Returns whether the last attempt's output was truncated.
     */
    public boolean follow(String jobId, int task, LogStream stream, Consumer<byte[]> sink) {
        int index = resolve(jobId, task);
        long attempt = -1;
        long offset = 0;
        long pause = FIRST_PAUSE_MS;
        boolean truncated = false;
        while (true) {
            LogChunk c = read(jobId, index, stream, offset);
            if (c.getSize() < 0) {
                continue; // the agent did not answer in time: ask again
            }
            if (c.getAttemptId() != attempt && attempt >= 0 && c.getAttemptId() != 0) {
                attempt = c.getAttemptId(); // a retry: start over at its first byte
                offset = 0;
                truncated = false;
                continue;
            }
            attempt = c.getAttemptId();
            byte[] data = c.getData();
            if (data.length > 0) {
                sink.accept(data);
                offset += data.length;
                truncated = c.isTruncated();
                pause = FIRST_PAUSE_MS;
                continue;
            }
            truncated = c.isTruncated();
            if (c.isComplete() && taskEnded(jobId, index)) {
                return truncated;
            }
            pause(pause, jobId);
            pause = Math.min(pause * 2, MAX_PAUSE_MS);
        }
    }

    private LogChunk read(String jobId, int task, LogStream stream, long offset) {
        return read(jobId, task, stream, offset, CHUNK_BYTES);
    }

    private LogChunk read(String jobId, int task, LogStream stream, long offset, int maxBytes) {
        io.drover.protocol.thrift.LogStream wire = stream == LogStream.STDERR
                ? io.drover.protocol.thrift.LogStream.STDERR : io.drover.protocol.thrift.LogStream.STDOUT;
        // The coordinator may hold the read for WAIT_MS, then sends up to CHUNK_BYTES.
        Duration deadline = connection.deadlines().payload(CHUNK_BYTES).plus(connection.deadlines().parked(Duration.ofMillis(WAIT_MS)));
        LogChunk c = connection.call(deadline, x -> x.readLog(jobId, task, wire, offset, maxBytes, WAIT_MS));
        if (c.isSetError()) {
            throw new DroverException(c.getError());
        }
        return c;
    }

    /** Turns {@link #REDUCE_TASK} into the job's reduce task index. */
    private int resolve(String jobId, int task) {
        if (task != REDUCE_TASK) {
            if (task < 0) {
                throw new IllegalArgumentException("task must be >= 0 (or REDUCE_TASK), was " + task);
            }
            return task;
        }
        JobView job = connection.call(x -> x.getJob(jobId, false, false));
        if (!job.isReduce()) {
            throw new IllegalArgumentException("job " + jobId + " has no reduce step");
        }
        return job.getTotalTasks() - 1;
    }

    private boolean taskEnded(String jobId, int task) {
        JobView job = connection.call(x -> x.getJob(jobId, true, false));
        if (ENDED.contains(job.getState())) {
            return true;
        }
        for (TaskView t : job.getTasks()) {
            if (t.getTask() == task) {
                return ENDED.contains(t.getState());
            }
        }
        return true;
    }

    private static void pause(long millis, String jobId) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DroverException("interrupted while following the output of job " + jobId, e);
        }
    }
}
