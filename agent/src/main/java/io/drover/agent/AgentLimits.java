package io.drover.agent;

import io.drover.protocol.WireLimits;
import java.time.Duration;

/**
 * What tasks may leave on the agent's disk, and how hard stopping them is. Validated on
 * construction; each message names the offending field.
 *
 * @param logCapBytes        per attempt and stream (stdout, stderr): bytes kept; later ones are dropped
 *                           and the output is marked truncated
 * @param logRetainBytes     total size of finished attempts' output kept; the oldest go first
 * @param logRetainAge       finished attempts' output older than this is removed
 * @param artifactCacheBytes total size of cached job jars; least recently used ones not in use go first
 * @param killGrace          a stopped task (timeout, cancel, shutdown) gets SIGTERM, then SIGKILL after this
 * @param inlineResultBytes  a task's result (a JVM task's encoded one, a process task's result file) up to this
 *                           size is reported inline (at most {@link WireLimits#MAX_RESULT_BYTES}); a larger one
 *                           is stored on the coordinator as a blob
 * @param maxResultBytes     the largest result a task may return (at most {@link WireLimits#MAX_RESULT_BLOB_BYTES});
 *                           a larger one fails its task at once, without retries
 */
public record AgentLimits(long logCapBytes, long logRetainBytes, Duration logRetainAge, long artifactCacheBytes,
                          Duration killGrace, int inlineResultBytes, long maxResultBytes) {
    public static final long MIB = 1024L * 1024;
    public static final AgentLimits DEFAULTS = new AgentLimits(64 * MIB, 2048 * MIB, Duration.ofDays(7), 4096 * MIB,
            Duration.ofSeconds(3));

    /** With the default result limits. */
    public AgentLimits(long logCapBytes, long logRetainBytes, Duration logRetainAge, long artifactCacheBytes,
                       Duration killGrace) {
        this(logCapBytes, logRetainBytes, logRetainAge, artifactCacheBytes, killGrace, WireLimits.MAX_RESULT_BYTES,
                WireLimits.DEFAULT_RESULT_BLOB_BYTES);
    }

    public AgentLimits {
        if (inlineResultBytes < 1 || inlineResultBytes > WireLimits.MAX_RESULT_BYTES) {
            throw new IllegalArgumentException("inlineResultBytes must be 1.." + WireLimits.MAX_RESULT_BYTES + ", was "
                    + inlineResultBytes);
        }
        if (maxResultBytes < inlineResultBytes || maxResultBytes > WireLimits.MAX_RESULT_BLOB_BYTES) {
            throw new IllegalArgumentException("maxResultBytes must be " + inlineResultBytes + ".."
                    + WireLimits.MAX_RESULT_BLOB_BYTES + ", was " + maxResultBytes);
        }
        if (logCapBytes < 0) {
            throw new IllegalArgumentException("logCapBytes must be >= 0, was " + logCapBytes);
        }
        if (logRetainBytes < 0) {
            throw new IllegalArgumentException("logRetainBytes must be >= 0, was " + logRetainBytes);
        }
        if (logRetainAge == null || logRetainAge.isNegative() || logRetainAge.isZero()) {
            throw new IllegalArgumentException("logRetainAge must be positive, was " + logRetainAge);
        }
        if (artifactCacheBytes < MIB) {
            throw new IllegalArgumentException("artifactCacheBytes must be at least 1 MiB, was " + artifactCacheBytes);
        }
        if (killGrace == null || killGrace.isNegative() || killGrace.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("killGrace must be 0..5m, was " + killGrace);
        }
    }

    public AgentLimits withLogCapBytes(long value) {
        return new AgentLimits(value, logRetainBytes, logRetainAge, artifactCacheBytes, killGrace, inlineResultBytes,
                maxResultBytes);
    }

    public AgentLimits withLogRetention(long bytes, Duration age) {
        return new AgentLimits(logCapBytes, bytes, age, artifactCacheBytes, killGrace, inlineResultBytes, maxResultBytes);
    }

    public AgentLimits withArtifactCacheBytes(long value) {
        return new AgentLimits(logCapBytes, logRetainBytes, logRetainAge, value, killGrace, inlineResultBytes,
                maxResultBytes);
    }

    public AgentLimits withKillGrace(Duration value) {
        return new AgentLimits(logCapBytes, logRetainBytes, logRetainAge, artifactCacheBytes, value, inlineResultBytes,
                maxResultBytes);
    }

    /** Results up to {@code inline} bytes travel inline, larger ones up to {@code max} as blobs. */
    public AgentLimits withResultLimits(int inline, long max) {
        return new AgentLimits(logCapBytes, logRetainBytes, logRetainAge, artifactCacheBytes, killGrace, inline, max);
    }
}
