package io.drover.sdk;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The end of a job this job depends on ({@link JobSpec.Builder#dependsOn}), as its shards see it in
 * {@link ShardContext#upstream()}: the upstream job's id, its name (a workflow job's name), its final
 * state, and its result's encoded bytes (the reduce output or the single shard's result).
 *
 * <p>The bytes are read lazily: a large result (one kept as a blob on the coordinator) waits in a file
 * the agent fetched for the attempt, and is read only when the job asks ({@link #openResult()} streams it,
 * {@link #resultBytes()} and {@link #decode} read it whole). A job with several shards and no reduce step
 * has no result, nor has an upstream job the coordinator no longer knows.
 */
public final class UpstreamResult {
    private final String jobId;
    private final Optional<String> name;
    private final Optional<JobState> state;
    private final byte[] inline; // null when there is no inline result
    private final Path file;     // null when the result is not in a file
    private final long size;

    private UpstreamResult(String jobId, Optional<String> name, Optional<JobState> state, byte[] inline, Path file,
                           long size) {
        this.jobId = Objects.requireNonNull(jobId, "jobId");
        this.name = Objects.requireNonNull(name, "name");
        this.state = Objects.requireNonNull(state, "state");
        this.inline = inline;
        this.file = file;
        this.size = size;
    }

    /**
     * An upstream job whose result is in memory.
     *
     * @param jobId  the upstream job's id
     * @param name   its name, when it has one
     * @param state  its final state; empty when the coordinator no longer knows the job
     * @param result its encoded result; empty when it has none
     * @return the upstream result
     */
    public static UpstreamResult of(String jobId, Optional<String> name, Optional<JobState> state,
                                    Optional<byte[]> result) {
        byte[] copy = result.map(byte[]::clone).orElse(null);
        return new UpstreamResult(jobId, name, state, copy, null, copy == null ? 0 : copy.length);
    }

    /**
     * An upstream job whose result is in a file (read only when asked for).
     *
     * @param jobId the upstream job's id
     * @param name  its name, when it has one
     * @param state its final state
     * @param file  the file holding the encoded result
     * @param size  the file's size in bytes
     * @return the upstream result
     * @throws IllegalArgumentException when the size is negative
     */
    public static UpstreamResult inFile(String jobId, Optional<String> name, Optional<JobState> state, Path file,
                                        long size) {
        Objects.requireNonNull(file, "file");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        return new UpstreamResult(jobId, name, state, null, file, size);
    }

    /**
     * The upstream job's id.
     *
     * @return the id
     */
    public String jobId() {
        return jobId;
    }

    /**
     * The upstream job's name (a workflow job's name), when it has one.
     *
     * @return the name
     */
    public Optional<String> name() {
        return name;
    }

    /**
     * The upstream job's final state ({@code SUCCEEDED}, {@code FAILED}, {@code CANCELLED} or
     * {@code SKIPPED}); empty when the coordinator no longer knows the job.
     *
     * @return the state
     */
    public Optional<JobState> state() {
        return state;
    }

    /**
     * Whether the upstream job has a result.
     *
     * @return true when {@link #openResult()} has bytes to give
     */
    public boolean hasResult() {
        return inline != null || file != null;
    }

    /**
     * The encoded result's size in bytes (0 when there is none), known without reading it.
     *
     * @return the size
     */
    public long resultSize() {
        return size;
    }

    /**
     * Streams the encoded result; the caller closes the stream.
     *
     * @return the result's bytes
     * @throws IOException when its file cannot be read
     * @throws java.util.NoSuchElementException when the upstream job has no result
     */
    public InputStream openResult() throws IOException {
        if (inline != null) {
            return new ByteArrayInputStream(inline);
        }
        if (file != null) {
            return Files.newInputStream(file);
        }
        throw new java.util.NoSuchElementException("upstream job " + jobId + " has no result");
    }

    /**
     * The encoded result, read whole (a fresh copy on each call).
     *
     * @return the result's bytes; empty when the upstream job has none
     * @throws UncheckedIOException when its file cannot be read
     */
    public Optional<byte[]> resultBytes() {
        if (inline != null) {
            return Optional.of(inline.clone());
        }
        if (file == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the result of upstream job " + jobId + " from " + file, e);
        }
    }

    /**
     * The result decoded with {@code codec} (usually the upstream job's own {@code resultCodec()}).
     *
     * @param codec how the upstream job encoded its result
     * @param <T>   the result's type
     * @return the decoded result; empty when the upstream job has none
     * @throws UncheckedIOException     when its file cannot be read
     * @throws IllegalArgumentException when the bytes are not a value of the codec
     */
    public <T> Optional<T> decode(ResultCodec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        // Read once and decoded at once: a blob is held twice only while the codec builds its value.
        return resultBytes().map(codec::decode);
    }

    /** Equal when the same upstream job ended the same way with the same result (the same bytes, or the same file). */
    @Override
    public boolean equals(Object o) {
        return o instanceof UpstreamResult u && jobId.equals(u.jobId) && name.equals(u.name) && state.equals(u.state)
                && Arrays.equals(inline, u.inline) && Objects.equals(file, u.file) && size == u.size;
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, name, state, Arrays.hashCode(inline), file, size);
    }

    @Override
    public String toString() {
        return "UpstreamResult[" + jobId + name.map(n -> " (" + n + ")").orElse("") + ", "
                + state.map(Enum::name).orElse("UNKNOWN") + ", " + (hasResult() ? size + " bytes" : "no result") + "]";
    }
}
