package io.drover.sdk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Ready-made {@link ResultCodec}s for common result types. */
public final class Codecs {
    private Codecs() {
    }

    public static ResultCodec<String> utf8() {
        return new ResultCodec<>() {
            @Override public byte[] encode(String value) { return value.getBytes(StandardCharsets.UTF_8); }
            @Override public String decode(byte[] bytes) { return new String(bytes, StandardCharsets.UTF_8); }
        };
    }

    public static ResultCodec<Long> int64() {
        return new ResultCodec<>() {
            @Override public byte[] encode(Long value) { return ByteBuffer.allocate(8).putLong(value).array(); }
            @Override public Long decode(byte[] bytes) { return fixed(bytes, 8, "int64").getLong(); }
        };
    }

    public static ResultCodec<Double> float64() {
        return new ResultCodec<>() {
            @Override public byte[] encode(Double value) { return ByteBuffer.allocate(8).putDouble(value).array(); }
            @Override public Double decode(byte[] bytes) { return fixed(bytes, 8, "float64").getDouble(); }
        };
    }

    /** Pairs of longs, e.g. (hits, samples) for Monte Carlo estimates that reduce exactly. */
    public static ResultCodec<long[]> int64Array() {
        return new ResultCodec<>() {
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

    public static ResultCodec<byte[]> bytes() {
        return new ResultCodec<>() {
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
