package io.drover.coordinator.agentid;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ZooKeeper text of an agent id's certificates: records from before keys were kept still read. */
class CertificateRecordTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aRecordWithoutKeysReadsAsCertificatesWithNoKey() {
        CertificateRecord r = CertificateRecord.decode("edge|1f:1796500000000,20:1796600000000".getBytes(StandardCharsets.UTF_8));

        assertThat(r.pool()).contains("edge");
        assertThat(r.serials()).extracting(CertificateRecord.Serial::serial).containsExactly(BigInteger.valueOf(31), BigInteger.valueOf(32));
        assertThat(r.serials()).allSatisfy(s -> assertThat(s.keySha256()).isEmpty());
        assertThat(r.newestLiveHasKey("ab", NOW)).isFalse();
    }

    @Test
    void keysRoundTripAndOnlyTheNewestLiveCertificatesKeyMatches() {
        Instant later = NOW.plusSeconds(3600);
        CertificateRecord r = new CertificateRecord(Optional.empty(), List.of(
                new CertificateRecord.Serial(BigInteger.ONE, later, Optional.of("aa")),
                new CertificateRecord.Serial(BigInteger.TWO, later, Optional.of("bb"))));

        CertificateRecord back = CertificateRecord.decode(r.encode());

        assertThat(back).isEqualTo(r);
        assertThat(back.newestLiveHasKey("bb", NOW)).isTrue();
        assertThat(back.newestLiveHasKey("aa", NOW)).as("an older certificate's key").isFalse();
        assertThat(back.newestLiveHasKey("bb", later)).as("expired").isFalse();
    }
}
