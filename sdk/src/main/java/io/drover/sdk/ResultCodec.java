package io.drover.sdk;

/**
 * Turns a result into bytes and back. Explicit on purpose: result bytes cross trust boundaries
 * (agents, coordinator, clients), so they are never Java-serialized objects.
 * See {@link Codecs} for the common ones.
 *
 * @param <T> the type of the values this codec encodes
 */
public interface ResultCodec<T> {
    /**
     * The value's bytes.
     *
     * @param value the value to encode, never null
     * @return its encoded bytes
     */
    byte[] encode(T value);

    /**
     * The value the bytes encode.
     *
     * @param bytes bytes produced by {@link #encode}
     * @return the decoded value
     * @throws IllegalArgumentException when the bytes are not a value of this codec
     */
    T decode(byte[] bytes);

    /**
     * The codec's name, which the agent reports with a job's results so that {@code drover status}
     * and {@link JobHandle#result(java.time.Duration)} decode them with the codec the job declared.
     * {@link Codecs}' codecs are named {@code utf8}, {@code int64}, {@code float64},
     * {@code int64-array} and {@code bytes} ({@link Codecs#named} finds them by name); any other
     * codec is named by its class name unless it overrides this, and clients show its results as
     * bytes. A name is at most 256 printable characters without spaces; a longer one is not reported.
     *
     * @return the codec's name
     */
    default String name() {
        return getClass().getName();
    }
}
