package io.drover.protocol;

import org.apache.thrift.TConfiguration;

/**
 * Limits every Drover Thrift endpoint applies, client and server alike, so a garbage or hostile
 * peer cannot make either side allocate unbounded memory.
 */
public final class WireLimits {
    /** Largest frame either side accepts; a heartbeat reply with many assignments fits easily. */
    public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;
    public static final int MAX_MESSAGE_BYTES = MAX_FRAME_BYTES;
    /** Artifacts travel in chunks of at most this size. */
    public static final int ARTIFACT_CHUNK_BYTES = 512 * 1024;
    /** Task output travels in pieces of at most this size. */
    public static final int LOG_CHUNK_BYTES = 1024 * 1024;
    /** Longest a readLog call may wait for its agent; below every client's call timeout. */
    public static final long MAX_LOG_WAIT_MS = 20_000;
    /** A single task result (shard value) may be at most this big; large outputs belong in job storage. */
    public static final int MAX_RESULT_BYTES = 64 * 1024;
    /**
     * A result over the inline limit travels as a blob in {@link #ARTIFACT_CHUNK_BYTES} chunks and is kept
     * in the coordinator's store (ZooKeeper): agents cap it (default 256 MiB, configurable up to this),
     * and the coordinator refuses anything larger, whatever an agent says.
     */
    public static final long MAX_RESULT_BLOB_BYTES = 1024L * 1024 * 1024;
    /** What an agent allows per result unless configured otherwise. */
    public static final long DEFAULT_RESULT_BLOB_BYTES = 256L * 1024 * 1024;

    private WireLimits() {
    }

    public static TConfiguration configuration() {
        return new TConfiguration(MAX_MESSAGE_BYTES, MAX_FRAME_BYTES, TConfiguration.DEFAULT_RECURSION_DEPTH);
    }
}
