package io.drover.bench.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TIOStreamTransport;

/**
 * Malformed Thrift frames (framed transport, compact protocol) of the kinds a hostile or broken
 * peer sends: random bytes, wrong field types and missing fields for a real method, deep nesting,
 * giant string and list claims. Each call returns one whole frame: 4-byte length, then the body.
 * Seeded, so a failing run can be replayed.
 */
final class FuzzFrames {
    private static final byte[] TYPES = {TType.BOOL, TType.BYTE, TType.I16, TType.I32, TType.I64, TType.DOUBLE,
            TType.STRING, TType.STRUCT, TType.MAP, TType.SET, TType.LIST};

    private final Random random;
    private final List<String> methods;
    private int seq;

    FuzzFrames(long seed, List<String> methods) {
        this.random = new Random(seed);
        this.methods = List.copyOf(methods);
    }

    /** Up to 2 KiB of random bytes behind a length that matches them. */
    byte[] randomBytes() {
        byte[] body = new byte[1 + random.nextInt(2048)];
        random.nextBytes(body);
        return frame(body);
    }

    /** A real method's call whose arguments struct has fields 1..6 of random types and values. */
    byte[] wrongFieldTypes() {
        return call(randomMethod(), p -> {
            p.writeStructBegin(new TStruct("args"));
            for (short id = 1; id <= 6; id++) {
                byte type = TYPES[random.nextInt(TYPES.length)];
                p.writeFieldBegin(new TField("f", type, id));
                writeValue(p, type, 2);
                p.writeFieldEnd();
            }
            p.writeFieldStop();
            p.writeStructEnd();
        });
    }

    /** A call of {@code method} whose arguments struct is empty: every required field missing. */
    byte[] missingFields(String method) {
        return call(method, p -> {
            p.writeStructBegin(new TStruct("args"));
            p.writeFieldStop();
            p.writeStructEnd();
        });
    }

    /** A real method's call with field 1 nested {@code depth} structs deep (or lists, at random). */
    byte[] deepNesting(int depth) {
        boolean lists = random.nextBoolean();
        return call(randomMethod(), p -> {
            p.writeStructBegin(new TStruct("args"));
            for (int i = 0; i < depth; i++) {
                if (lists) {
                    p.writeFieldBegin(new TField("f", TType.LIST, (short) 1));
                    p.writeListBegin(new TList(TType.STRUCT, 1));
                    p.writeStructBegin(new TStruct("s"));
                } else {
                    p.writeFieldBegin(new TField("f", TType.STRUCT, (short) 1));
                    p.writeStructBegin(new TStruct("s"));
                }
            }
            // Never closed: the reader either refuses the depth or runs off the frame's end.
        });
    }

    /** A real method's call whose first field claims a string (or list) of about 2 GiB. */
    byte[] giantClaim() {
        boolean list = random.nextBoolean();
        return call(randomMethod(), p -> {
            p.writeStructBegin(new TStruct("args"));
            p.writeFieldBegin(new TField("f", list ? TType.LIST : TType.STRING, (short) (1 + random.nextInt(3))));
            if (list) {
                p.writeListBegin(new TList(TType.I64, Integer.MAX_VALUE - random.nextInt(1000)));
            } else {
                p.writeI32(0); // placeholder: the varint length is written raw below
            }
        }, list ? null : new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07});
    }

    /** Only a 4-byte frame header claiming {@code length} bytes. */
    static byte[] header(int length) {
        return ByteBuffer.allocate(4).putInt(length).array();
    }

    String randomMethod() {
        return methods.get(random.nextInt(methods.size()));
    }

    List<String> methods() {
        return methods;
    }

    private interface Body {
        void write(TCompactProtocol p) throws TException;
    }

    private byte[] call(String method, Body body) {
        return call(method, body, null);
    }

    private byte[] call(String method, Body body, byte[] rawTail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            TCompactProtocol p = new TCompactProtocol(new TIOStreamTransport(out));
            p.writeMessageBegin(new TMessage(method, TMessageType.CALL, ++seq));
            body.write(p);
            p.getTransport().flush();
        } catch (TException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        byte[] bytes = out.toByteArray();
        if (rawTail != null) {
            // Replace the placeholder i32 (a zero varint, one byte) with a huge varint length.
            ByteArrayOutputStream tail = new ByteArrayOutputStream();
            tail.write(bytes, 0, bytes.length - 1);
            tail.write(rawTail, 0, rawTail.length);
            tail.write(new byte[] {'x', 'y', 'z'}, 0, 3);
            bytes = tail.toByteArray();
        }
        return frame(bytes);
    }

    private void writeValue(TCompactProtocol p, byte type, int depth) throws TException {
        switch (type) {
            case TType.BOOL -> p.writeBool(random.nextBoolean());
            case TType.BYTE -> p.writeByte((byte) random.nextInt());
            case TType.I16 -> p.writeI16((short) random.nextInt());
            case TType.I32 -> p.writeI32(random.nextInt());
            case TType.I64 -> p.writeI64(random.nextLong());
            case TType.DOUBLE -> p.writeDouble(random.nextDouble());
            case TType.STRING -> p.writeString(random.nextInt(4) == 0 ? "" : Long.toHexString(random.nextLong()));
            case TType.STRUCT -> {
                p.writeStructBegin(new TStruct("s"));
                if (depth > 0) {
                    byte inner = TYPES[random.nextInt(TYPES.length)];
                    p.writeFieldBegin(new TField("g", inner, (short) (1 + random.nextInt(20))));
                    writeValue(p, inner, depth - 1);
                    p.writeFieldEnd();
                }
                p.writeFieldStop();
                p.writeStructEnd();
            }
            default -> {
                // MAP, SET, LIST: a short list of i32 (a map as an empty one)
                if (type == TType.MAP) {
                    p.writeMapBegin(new org.apache.thrift.protocol.TMap(TType.STRING, TType.I32, 0));
                } else {
                    int n = random.nextInt(3);
                    p.writeListBegin(new TList(TType.I32, n));
                    for (int i = 0; i < n; i++) {
                        p.writeI32(random.nextInt());
                    }
                }
            }
        }
    }

    private static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }
}
