package io.drover.sdk.testing;

/**
 * A shard or the reduce step of a {@link LocalJobRunner} run failed: it threw (the exception is the
 * cause, with the job's own stack trace), returned {@code null}, returned a result over the size cap,
 * could not encode or decode its result, or ran past the task timeout. On a cluster the same attempt
 * would fail with the same reason and be retried per the job's {@code maxAttempts}.
 */
public class ShardFailedException extends RuntimeException {
    private final int shardIndex;
    private final int shardCount;

    public ShardFailedException(int shardIndex, int shardCount, String reason, Throwable cause) {
        super(where(shardIndex, shardCount) + " failed: " + reason, cause);
        this.shardIndex = shardIndex;
        this.shardCount = shardCount;
    }

    /** The failed shard's index; {@link #shardCount()} for the reduce step. */
    public int shardIndex() {
        return shardIndex;
    }

    public int shardCount() {
        return shardCount;
    }

    /** Whether the reduce step failed (rather than a shard). */
    public boolean inReduce() {
        return shardIndex == shardCount;
    }

    private static String where(int shardIndex, int shardCount) {
        return shardIndex == shardCount ? "the reduce step (after " + shardCount + " shards)"
                : "shard " + shardIndex + " of " + shardCount;
    }
}
