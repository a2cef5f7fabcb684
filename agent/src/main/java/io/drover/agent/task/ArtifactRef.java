package io.drover.agent.task;

import java.util.regex.Pattern;

/**
 * A content-addressed job artifact. The hash is checked for shape here because it becomes a file
 * name in the artifact cache: anything but 64 lowercase hex digits could escape the cache dir.
 */
public record ArtifactRef(String sha256, long size) {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public ArtifactRef {
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("artifact sha256 must be 64 lowercase hex digits, was '" + sha256 + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("artifact size must be >= 0, was " + size);
        }
    }

    /** A short form for log lines. */
    public String shortHash() {
        return sha256.substring(0, 12);
    }

    @Override
    public String toString() {
        return "artifact " + sha256 + " (" + size + " bytes)";
    }
}
