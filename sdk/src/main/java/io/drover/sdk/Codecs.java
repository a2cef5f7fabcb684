package io.drover.sdk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Ready-made {@link ResultCodec}s for common result types. Each has a fixed {@link ResultCodec#name()}
 * that clients recognise, so {@code drover status} prints results of jobs that use them as values.
 */
public final class Codecs {
    private Codecs() {
    }

    /**
     * The codec of this class with that {@link ResultCodec#name()}.
     *
     * @param name a codec name, such as a job's declared {@link JobStatus#resultCodec()}
     * @return the codec, or empty when no codec of this class has the name (a job's own codec)
     */
    public static Optional<ResultCodec<?>> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (name) {
            case "utf8" -> utf8();
            case "int64" -> int64();
            case "float64" -> float64();
            case "int64-array" -> int64Array();
            case "bytes" -> bytes();
            default -> null;
        });
    }

    /**
     * Text as UTF-8, named {@code utf8}.
     *
     * @return the codec
     */
    public static ResultCodec<String> utf8() {
        return new ResultCodec<>() {
            @Override public String name() { return "utf8"; }
            @Override public byte[] encode(String value) { return value.getBytes(StandardCharsets.UTF_8); }
            @Override public String decode(byte[] bytes) { return new String(bytes, StandardCharsets.UTF_8); }
        };
    }

    /**
     * A long as 8 bytes, big-endian, named {@code int64}.
     *
     * @return the codec
     */
    public static ResultCodec<Long> int64() {
        return new ResultCodec<>() {
            @Override public String name() { return "int64"; }
            @Override public byte[] encode(Long value) { return ByteBuffer.allocate(8).putLong(value).array(); }
            @Override public Long decode(byte[] bytes) { return fixed(bytes, 8, "int64").getLong(); }
        };
    }

    /**
     * A double as 8 bytes (IEEE 754, big-endian), named {@code float64}.
     *
     * @return the codec
     */
    public static ResultCodec<Double> float64() {
        return new ResultCodec<>() {
            @Override public String name() { return "float64"; }
            @Override public byte[] encode(Double value) { return ByteBuffer.allocate(8).putDouble(value).array(); }
            @Override public Double decode(byte[] bytes) { return fixed(bytes, 8, "float64").getDouble(); }
        };
    }

    /**
     * Arrays of longs, 8 bytes each, big-endian, named {@code int64-array}: e.g. (hits, samples)
     * for Monte Carlo estimates that reduce exactly.
     *
     * @return the codec
     */
    public static ResultCodec<long[]> int64Array() {
        return new ResultCodec<>() {
            @Override public String name() { return "int64-array"; }
            @Override public byte[] encode(long[] value) {
                ByteBuffer buffer = ByteBuffer.allocate(8 * value.length);
                for (long v : value) {
                    buffer.putLong(v);
                }
                return buffer.array();
            }
            @Override public long[] decode(byte[] bytes) {
                if (bytes.length % 8 != 0) {
                    throw new IllegalArgumentException("int64Array: " + bytes.length + " bytes is not a multiple of 8");
                }
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                long[] out = new long[bytes.length / 8];
                for (int i = 0; i < out.length; i++) {
                    out[i] = buffer.getLong();
                }
                return out;
            }
        };
    }

    /**
     * Bytes as they are, named {@code bytes}.
     *
     * @return the codec
     */
    public static ResultCodec<byte[]> bytes() {
        return new ResultCodec<>() {
            @Override public String name() { return "bytes"; }
            @Override public byte[] encode(byte[] value) { return value.clone(); }
            @Override public byte[] decode(byte[] bytes) { return bytes.clone(); }
        };
    }

    private static ByteBuffer fixed(byte[] bytes, int size, String codec) {
        if (bytes.length != size) {
            throw new IllegalArgumentException(codec + ": expected " + size + " bytes, got " + bytes.length);
        }
        return ByteBuffer.wrap(bytes);
    }
}
