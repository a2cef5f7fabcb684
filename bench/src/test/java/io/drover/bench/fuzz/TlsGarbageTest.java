package io.drover.bench.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TlsGarbageTest {
    @Test
    void theClientHelloIsOneWholeHandshakeRecordOfTls() {
        byte[] hello = TlsGarbage.clientHello();

        ByteBuffer b = ByteBuffer.wrap(hello);
        assertThat(b.get()).as("content type").isEqualTo((byte) 22);
        assertThat(b.getShort() & 0xffff).as("record version").isBetween(0x0301, 0x0303);
        assertThat(b.getShort() & 0xffff).as("record length").isEqualTo(hello.length - 5);
        assertThat(b.get()).as("handshake type ClientHello").isEqualTo((byte) 1);
    }

    @Test
    void cutClientHellosAreStrictPrefixesOfAWholeOne() {
        TlsGarbage g = new TlsGarbage(3);
        int whole = TlsGarbage.clientHello().length;
        for (int i = 0; i < 200; i++) {
            byte[] cut = g.cutClientHello();
            assertThat(cut.length).isBetween(1, whole - 1);
            assertThat(cut[0]).isEqualTo((byte) 22);
        }
    }

    @Test
    void truncatedRecordsCarryFewerBytesThanTheyClaim() {
        TlsGarbage g = new TlsGarbage(5);
        for (int i = 0; i < 200; i++) {
            ByteBuffer b = ByteBuffer.wrap(g.truncatedRecord());
            b.position(3);
            int claim = b.getShort() & 0xffff;
            assertThat(b.remaining()).isLessThan(claim);
        }
    }

    @Test
    void theSameSeedGivesTheSameBytes() {
        TlsGarbage a = new TlsGarbage(11);
        TlsGarbage b = new TlsGarbage(11);

        assertThat(a.randomBytes()).isEqualTo(b.randomBytes());
        assertThat(a.badRecordLength()).isEqualTo(b.badRecordLength());
        assertThat(a.wrongRecordType()).isEqualTo(b.wrongRecordType());
        assertThat(Arrays.equals(new TlsGarbage(12).randomBytes(), new TlsGarbage(13).randomBytes())).isFalse();
    }
}
