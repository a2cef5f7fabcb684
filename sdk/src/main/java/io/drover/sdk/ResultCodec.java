package io.drover.sdk;

/**
 * Turns a result into bytes and back. Explicit on purpose: result bytes cross trust boundaries
 * (agents, coordinator, clients), so they are never Java-serialized objects.
 * See {@link Codecs} for the common ones.
 */
public interface ResultCodec<T> {
    byte[] encode(T value);

    /** @throws IllegalArgumentException when the bytes are not a value of this codec */
    T decode(byte[] bytes);
}
