package io.drover.sdk.testing;

/**
 * A shard or the reduce step of a {@link LocalJobRunner} run failed: it threw (the exception is the
 * cause, with the job's own stack trace), returned {@code null}, returned a result over the size cap,
 * could not encode or decode its result, or ran past the task timeout. On a cluster the same attempt
 * would fail with the same reason and be retried per the job's {@code maxAttempts}.
 */
public class ShardFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The failed shard, or {@link #shardCount} for the reduce step. */
    private final int shardIndex;
    /** The job's number of shards. */
    private final int shardCount;

    /**
     * @param shardIndex the failed shard, or {@code shardCount} for the reduce step
     * @param shardCount the job's number of shards
     * @param reason     what went wrong, as an agent would report it
     * @param cause      the job's own exception, or {@code null}
     */
    public ShardFailedException(int shardIndex, int shardCount, String reason, Throwable cause) {
        super(where(shardIndex, shardCount) + " failed: " + reason, cause);
        this.shardIndex = shardIndex;
        this.shardCount = shardCount;
    }

    /** @return the failed shard's index; {@link #shardCount()} for the reduce step */
    public int shardIndex() {
        return shardIndex;
    }

    /** @return the job's number of shards */
    public int shardCount() {
        return shardCount;
    }

    /** @return whether the reduce step failed (rather than a shard) */
    public boolean inReduce() {
        return shardIndex == shardCount;
    }

    private static String where(int shardIndex, int shardCount) {
        return shardIndex == shardCount ? "the reduce step (after " + shardCount + " shards)"
                : "shard " + shardIndex + " of " + shardCount;
    }
}
