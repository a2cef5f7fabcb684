package io.drover.sdk;

import io.drover.protocol.thrift.JobView;
import io.drover.sdk.internal.BlobReader;
import io.drover.sdk.internal.ClientConnection;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import io.drover.sdk.internal.Mappers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A submitted job, by id: progress, cancellation and its typed result.
 *
 * <p>A handle holds no state besides the id; every method asks the leading coordinator, through
 * the {@link DroverClient} that created it (and stops working once that client is closed).
 * Waiting methods poll with a backoff from 20 ms up to 500 ms between polls, shortened (down to
 * 20 ms) as the job nears the end its task rate predicts, so that its end is seen soon after it
 * comes; they wait at most the given timeout and then throw {@link DroverTimeoutException}, leaving
 * the job running.
 */
public final class JobHandle {
    private static final long FIRST_POLL_MS = 20;
    private static final long MAX_POLL_MS = 500;

    /** What a job view with every task or result is allowed to weigh when its deadline is set. */
    private static final long BULK_VIEW_BYTES = 4L * 1024 * 1024;
    private final ClientConnection connection;
    private final String jobId;

    JobHandle(ClientConnection connection, String jobId) {
        this.connection = connection;
        this.jobId = jobId;
    }

    /**
     * The job this handle stands for.
     *
     * @return the job's id
     */
    public String jobId() {
        return jobId;
    }

    /**
     * The job's current snapshot, without per-task detail.
     *
     * @return the snapshot
     */
    public JobStatus status() {
        return status(false);
    }

    /**
     * The job's current snapshot; with {@code withTasks}, {@link JobStatus#tasks()} lists every task.
     *
     * @param withTasks whether to list every task
     * @return the snapshot
     */
    public JobStatus status(boolean withTasks) {
        Duration deadline = withTasks ? bulkDeadline() : connection.deadlines().call();
        return Mappers.toJobStatus(connection.call(deadline, c -> c.getJob(jobId, withTasks, false)));
    }

    /** Job views with every task or every result can run to megabytes: time to carry them on a slow link. */
    private Duration bulkDeadline() {
        return connection.deadlines().payload(BULK_VIEW_BYTES);
    }

    /**
     * Cancels the job: pending tasks never start, running attempts are killed. Idempotent; on a
     * job that already finished it changes nothing. Returns the status after the request.
     *
     * @return the status after the request
     */
    public JobStatus cancel() {
        return Mappers.toJobStatus(connection.call(c -> c.cancelJob(jobId)));
    }

    /**
     * Waits until the job is in a terminal state (SUCCEEDED, FAILED, CANCELLED or SKIPPED) and returns
     * that status. Does not throw for a failed job; see {@link #result} for that.
     *
     * @throws DroverTimeoutException when {@code timeout} passes first
     * @param timeout how long to wait at most
     * @return the terminal status
     */
    public JobStatus await(Duration timeout) {
        return await(timeout, status -> { });
    }

    /**
     * Like {@link #await(Duration)}, and hands {@code onUpdate}, on the calling thread, the first
     * polled status and then each one whose progress differs from the last handed over
     * ({@link JobStatus#sameProgress}): a display redraws only on change. The final status is always
     * handed over, once, since a terminal state is a change.
     *
     * @param timeout how long to wait at most
     * @param onUpdate receives statuses as described
     * @return the terminal status
     * @throws DroverTimeoutException when {@code timeout} passes first
     */
    public JobStatus await(Duration timeout, Consumer<JobStatus> onUpdate) {
        Objects.requireNonNull(onUpdate, "onUpdate");
        long deadline = System.nanoTime() + boundedNanos(timeout);
        PollPacing pacing = new PollPacing(TimeUnit.MILLISECONDS.toNanos(FIRST_POLL_MS), TimeUnit.MILLISECONDS.toNanos(MAX_POLL_MS));
        JobStatus shown = null;
        while (true) {
            JobStatus status = status(false);
            if (!status.sameProgress(shown)) {
                onUpdate.accept(status);
                shown = status;
            }
            if (status.state().isTerminal()) {
                return status;
            }
            long remainingNanos = deadline - System.nanoTime();
            if (remainingNanos <= 0) {
                throw new DroverTimeoutException("job " + jobId + " still " + status.state() + " after " + timeout
                        + " (" + status.succeeded() + "/" + status.totalTasks() + " tasks done)", status);
            }
            long next = pacing.next(System.nanoTime(), status.succeeded() + status.failed(), status.totalTasks());
            pause(Math.min(next, remainingNanos));
        }
    }

    /**
     * Waits for the job and decodes its result: the reduce step's output, or the only shard's
     * result for a one-shard job without reduce.
     *
     * @throws JobFailedException when the job ended FAILED, CANCELLED or SKIPPED
     * @throws DroverTimeoutException when {@code timeout} passes first
     * @throws DroverException when the job has no single result (several shards, no reduce:
     *         use {@link #shardResults}) or the bytes are not a value of {@code codec}
     * @param <T> the result type
     * @param timeout how long to wait at most
     * @param codec the job's result codec
     * @return the decoded result
     */
    public <T> T result(Duration timeout, ResultCodec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        JobStatus status = awaitSuccess(timeout);
        return decode(codec, resultBytes(status), "result");
    }

    /** The single result's bytes: inline in the status, else read from the coordinator's blob store. */
    private byte[] resultBytes(JobStatus status) {
        if (status.resultBytes().isPresent()) {
            return status.resultBytes().get();
        }
        StoredResult blob = storedResult().orElseThrow(() -> new DroverException("job " + jobId
                + " has no single result (" + status.totalTasks() + " tasks, no reduce step): use shardResults"));
        return new BlobReader(connection, jobId).readAll(blob);
    }

    /**
     * The job's single result when the coordinator keeps it as a blob (too large to travel in its status).
     *
     * @return the blob's hash and size, or empty (no result yet, an inline one, or none)
     */
    public Optional<StoredResult> storedResult() {
        JobView v = connection.call(connection.deadlines().call(), c -> c.getJob(jobId, false, false));
        return v.isSetResultBlob() ? Optional.of(new StoredResult(v.getResultBlob().getSha256(), v.getResultBlob().getSize()))
                : Optional.empty();
    }

    /**
     * Writes the succeeded job's single result, as encoded bytes, to {@code out} as it arrives: a result
     * kept as a blob is never held whole in memory.
     *
     * @param out where the bytes go (not closed)
     * @return how many bytes were written
     * @throws DroverException when the job has not succeeded or has no single result
     */
    public long writeResult(OutputStream out) {
        JobStatus status = status(false);
        if (status.state() != JobState.SUCCEEDED) {
            throw new DroverException("job " + jobId + " is " + status.state() + ": no result");
        }
        if (status.resultBytes().isPresent()) {
            try {
                out.write(status.resultBytes().get());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return status.resultBytes().get().length;
        }
        StoredResult blob = storedResult().orElseThrow(() -> new DroverException("job " + jobId
                + " has no single result (" + status.totalTasks() + " tasks, no reduce step)"));
        return new BlobReader(connection, jobId).write(blob, out);
    }

    /**
     * Waits for the job and decodes its result with the codec the job's code declared
     * ({@link JobStatus#resultCodec()}), when that is one of {@link Codecs}': a {@code String},
     * {@code Long}, {@code Double}, {@code long[]} or {@code byte[]}.
     *
     * @param timeout how long to wait at most
     * @return the decoded result
     * @throws JobFailedException when the job ended FAILED, CANCELLED or SKIPPED
     * @throws DroverTimeoutException when {@code timeout} passes first
     * @throws DroverException when the job has no single result, declared a codec of its own (pass
     *         it: {@link #result(Duration, ResultCodec)}) or none is known (a process job, or a
     *         coordinator older than this feature)
     */
    public Object result(Duration timeout) {
        JobStatus status = awaitSuccess(timeout);
        String name = status.resultCodec().orElseThrow(() -> new DroverException("job " + jobId
                + " declared no result codec the coordinator knows (a process job, or an older coordinator);"
                + " pass one: result(timeout, Codecs.utf8())"));
        ResultCodec<?> codec = Codecs.named(name).orElseThrow(() -> new DroverException("job " + jobId
                + " declared its own result codec '" + name + "'; pass an instance: result(timeout, codec)"));
        return decode(codec, resultBytes(status), "result");
    }

    /**
     * Waits for a job without a reduce step and decodes every shard's result, in shard order.
     *
     * @throws JobFailedException when the job ended FAILED, CANCELLED or SKIPPED
     * @throws DroverTimeoutException when {@code timeout} passes first
     * @throws DroverException when the coordinator holds no shard results for the job (it has a
     *         reduce step: use {@link #result}) or a result is not a value of {@code codec}
     * @param <T> the result type
     * @param timeout how long to wait at most
     * @param codec the job's result codec
     * @return the decoded results, in shard order
     */
    public <T> List<T> shardResults(Duration timeout, ResultCodec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        awaitSuccess(timeout);
        JobView view = connection.call(bulkDeadline(), c -> c.getJob(jobId, false, true));
        List<byte[]> raw = new ArrayList<>(Mappers.shardResults(view)
                .orElseThrow(() -> new DroverException("coordinator returned no shard results for job " + jobId
                        + " (jobs with a reduce step have only the reduced result: use result)")));
        if (view.isSetShardResultBlobs()) { // large shard results are kept as blobs: read each in chunks
            BlobReader reader = new BlobReader(connection, jobId);
            view.getShardResultBlobs().forEach((shard, b) -> {
                if (shard >= 0 && shard < raw.size()) {
                    raw.set(shard, reader.readAll(new StoredResult(b.getSha256(), b.getSize())));
                }
            });
        }
        List<T> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            out.add(decode(codec, raw.get(i), "shard " + i + " result"));
        }
        return List.copyOf(out);
    }

    private JobStatus awaitSuccess(Duration timeout) {
        JobStatus status = await(timeout);
        if (status.state() != JobState.SUCCEEDED) {
            throw new JobFailedException(status);
        }
        return status;
    }

    private <T> T decode(ResultCodec<T> codec, byte[] bytes, String what) {
        try {
            return codec.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new DroverException("job " + jobId + " " + what + " cannot be decoded: " + e.getMessage(), e);
        }
    }

    private static long boundedNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        return timeout.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toNanos() : timeout.toNanos();
    }

    private void pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DroverException("interrupted while waiting for job " + jobId, e);
        }
    }

    @Override
    public String toString() {
        return "JobHandle[" + jobId + "]";
    }
}
