package io.drover.bench.fuzz;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * What a broken or hostile peer sends a TLS port before any handshake completes: random bytes, TLS
 * record headers with zero, oversized and negative-looking lengths, records cut short, records of
 * the wrong type, a real ClientHello cut short or with bytes flipped. Seeded, so a failing run
 * replays. The ClientHello is a real one, from a client {@link SSLEngine}, made once per instance.
 */
final class TlsGarbage {
    private static final byte HANDSHAKE = 22;
    /** Record lengths a parser must refuse or wait on: zero, past 2^14 + 256, and high bit set. */
    private static final int[] LENGTHS = {0, 1, 0x4001, 0x4100, 0x7fff, 0x8000, 0xffff};
    private static final byte[] TYPES = {20, 21, 22, 23, 24, 0, (byte) 0x80, (byte) 0xff};

    private final Random random;
    private final byte[] clientHello;

    TlsGarbage(long seed) {
        this.random = new Random(seed);
        this.clientHello = clientHello();
    }

    /** 1 to 2048 random bytes. */
    byte[] randomBytes() {
        byte[] b = new byte[1 + random.nextInt(2048)];
        random.nextBytes(b);
        return b;
    }

    /** A record header of any type and version, with a bad length, and up to 64 bytes after it. */
    byte[] badRecordLength() {
        int length = random.nextInt(4) == 0 ? random.nextInt(0x10000) : LENGTHS[random.nextInt(LENGTHS.length)];
        byte[] tail = new byte[random.nextInt(65)];
        random.nextBytes(tail);
        return ByteBuffer.allocate(5 + tail.length).put(TYPES[random.nextInt(TYPES.length)])
                .putShort(random.nextBoolean() ? (short) 0x0303 : (short) random.nextInt())
                .putShort((short) length).put(tail).array();
    }

    /** A handshake record claiming up to 16 KiB, with fewer bytes than it claims. */
    byte[] truncatedRecord() {
        int claim = 1 + random.nextInt(0x4000);
        byte[] body = new byte[random.nextInt(Math.min(claim, 4096))];
        random.nextBytes(body);
        return ByteBuffer.allocate(5 + body.length).put(HANDSHAKE).putShort((short) 0x0303).putShort((short) claim)
                .put(body).array();
    }

    /** A real ClientHello cut at a random byte (its record header kept whole half the time). */
    byte[] cutClientHello() {
        int from = random.nextBoolean() ? 1 : 6;
        return Arrays.copyOf(clientHello, from + random.nextInt(clientHello.length - from));
    }

    /** A whole ClientHello with 1 to 8 of its bytes past the record header replaced at random. */
    byte[] mangledClientHello() {
        byte[] b = clientHello.clone();
        for (int i = 1 + random.nextInt(8); i > 0; i--) {
            b[5 + random.nextInt(b.length - 5)] = (byte) random.nextInt();
        }
        return b;
    }

    /** A well-formed record of a type no client sends first (alert, change cipher spec, data). */
    byte[] wrongRecordType() {
        byte[] body = new byte[1 + random.nextInt(512)];
        random.nextBytes(body);
        byte type = new byte[] {20, 21, 23, 24}[random.nextInt(4)];
        return ByteBuffer.allocate(5 + body.length).put(type).putShort((short) 0x0303).putShort((short) body.length)
                .put(body).array();
    }

    /** The first flight of a TLS 1.3 client: one handshake record holding its ClientHello. */
    static byte[] clientHello() {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, null, null);
            SSLEngine engine = context.createSSLEngine("127.0.0.1", 1);
            engine.setUseClientMode(true);
            engine.setEnabledProtocols(new String[] {"TLSv1.3"});
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), out);
            out.flip();
            byte[] hello = new byte[out.remaining()];
            out.get(hello);
            if (hello.length < 6 || hello[0] != HANDSHAKE) {
                throw new IllegalStateException("the JDK's first TLS flight is not a handshake record (" + hello.length + " bytes)");
            }
            return hello;
        } catch (GeneralSecurityException | SSLException e) {
            throw new IllegalStateException("this JVM cannot make a TLS 1.3 ClientHello: " + e.getMessage(), e);
        }
    }
}
