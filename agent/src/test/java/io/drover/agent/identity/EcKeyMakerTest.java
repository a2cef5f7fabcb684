package io.drover.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.security.ClusterCa;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.io.StringReader;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import org.junit.jupiter.api.Test;

class EcKeyMakerTest {
    private final EcKeyMaker maker = new EcKeyMaker(new SecureRandom());

    @Test
    void theClusterCaSignsTheRequestForTheKeyMadeBeside() throws Exception {
        ClusterCa ca = ClusterCa.create("test", Clock.systemUTC());
        KeyMaker.NewKey key = maker.newKey("edge-7.eu_1");
        X509Certificate certificate = ca.signAgent(key.csrPem(), "edge-7.eu_1", "gpu", Duration.ofHours(1));
        ca.verifyIssued(certificate);
        assertThat(ClusterCa.agentId(certificate)).isEqualTo("edge-7.eu_1");
        PrivateKey privateKey = Pem.privateKey(key.privateKeyPem());
        assertThat(Pem.matches(privateKey, certificate)).isTrue();
        assertThat(Pem.matches(Pem.privateKey(maker.newKey("edge-7.eu_1").privateKeyPem()), certificate)).isFalse();
    }

    @Test
    void theRequestIsTheOneBouncyCastleWritesButForTheRandomSignature() throws Exception {
        KeyMaker.NewKey key = maker.newKey("a1");
        assertThat(key.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("\n-----END PRIVATE KEY-----\n");
        assertThat(key.csrPem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----\n").endsWith("\n-----END CERTIFICATE REQUEST-----\n");
        assertThat(key.csrPem().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
        PKCS10CertificationRequest ours;
        try (PEMParser parser = new PEMParser(new StringReader(key.csrPem()))) {
            ours = (PKCS10CertificationRequest) parser.readObject();
        }
        KeyPair pair = new KeyPair(new JcaPKCS10CertificationRequest(ours).getPublicKey(), Pem.privateKey(key.privateKeyPem()));
        PKCS10CertificationRequest theirs = new JcaPKCS10CertificationRequestBuilder(
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "a1").build(), pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        assertThat(HexFormat.of().formatHex(ours.toASN1Structure().getCertificationRequestInfo().getEncoded()))
                .isEqualTo(HexFormat.of().formatHex(theirs.toASN1Structure().getCertificationRequestInfo().getEncoded()));
        assertThat(ours.getSignatureAlgorithm()).isEqualTo(theirs.getSignatureAlgorithm());
    }

    @Test
    void refusesAnIdThatIsNotOne() {
        assertThatThrownBy(() -> maker.newKey("a/b")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a/b'");
        assertThatThrownBy(() -> maker.newKey("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> maker.newKey("x".repeat(129))).isInstanceOf(IllegalArgumentException.class);
        assertThat(maker.newKey("x".repeat(128)).csrPem()).isNotEmpty(); // a long CN: a two-byte DER length
    }

    @Test
    void derLengthsInShortAndLongForm() {
        assertThat(head(EcKeyMaker.tlv(0x04, new byte[127]), 2)).containsExactly(0x04, 127);
        assertThat(head(EcKeyMaker.tlv(0x04, new byte[200]), 3)).containsExactly(0x04, 0x81, 200);
        assertThat(head(EcKeyMaker.tlv(0x04, new byte[300]), 4)).containsExactly(0x04, 0x82, 0x01, 0x2C);
        assertThat(EcKeyMaker.tlv(0x04, new byte[300])).hasSize(304);
        assertThat(EcKeyMaker.tlv(0xA0)).containsExactly(0xA0, 0x00);
    }

    private static byte[] head(byte[] der, int n) {
        return Arrays.copyOf(der, n);
    }
}
