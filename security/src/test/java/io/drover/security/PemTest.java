package io.drover.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class PemTest {
    private final ClusterCa ca = ClusterCa.create("test", Clock.systemUTC());

    @Test
    void aCertificateRoundTrips() {
        String pem = Pem.encodeCertificate(ca.certificate());

        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Pem.decodeCertificate(pem)).isEqualTo(ca.certificate());
    }

    @Test
    void aChainRoundTripsInOrder() {
        List<X509Certificate> chain = ca.issueServer(List.of("localhost"), Duration.ofHours(1)).chain();

        assertThat(Pem.decodeCertificates(Pem.encodeCertificates(chain))).containsExactlyElementsOf(chain);
        assertThatThrownBy(() -> Pem.decodeCertificate(Pem.encodeCertificates(chain)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("expected one certificate, found 2");
    }

    @Test
    void aPrivateKeyRoundTripsAsPkcs8() {
        KeyPair keys = AgentKeys.generateKeyPair();
        String pem = Pem.encodePrivateKey(keys.getPrivate());

        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Pem.decodePrivateKey(pem)).isEqualTo(keys.getPrivate());
    }

    @Test
    void aRequestRoundTrips() throws Exception {
        KeyPair keys = AgentKeys.generateKeyPair();
        String pem = AgentKeys.certificateRequest(keys, "agent-1");

        assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        PKCS10CertificationRequest request = Pem.decodeRequest(pem);
        assertThat(request.getSubject().toString()).isEqualTo("CN=agent-1");
        assertThat(Pem.encodeRequest(request)).isEqualTo(pem);
    }

    @Test
    void theWrongKindOfBlockIsNamed() {
        String certificate = Pem.encodeCertificate(ca.certificate());

        assertThatThrownBy(() -> Pem.decodePrivateKey(certificate))
                .hasMessage("expected an unencrypted private key, found a certificate");
        assertThatThrownBy(() -> Pem.decodeRequest(certificate))
                .hasMessage("expected a certificate request, found a certificate");
        assertThatThrownBy(() -> Pem.decodeCertificates(Pem.encodePrivateKey(AgentKeys.generateKeyPair().getPrivate())))
                .hasMessage("expected certificates, found a private key");
    }

    @Test
    void garbageIsRefusedWithoutAStackOfBouncyCastleNames() {
        assertThatThrownBy(() -> Pem.decodeCertificate("")).hasMessage("expected a PEM certificate, got nothing");
        assertThatThrownBy(() -> Pem.decodeCertificate("hello")).hasMessageStartingWith("no PEM block found");
        assertThatThrownBy(() -> Pem.decodeCertificate("-----BEGIN CERTIFICATE-----\nAAAA!!\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a readable PEM certificate");
        assertThatThrownBy(() -> Pem.decodeRequest("-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQA=\n-----END CERTIFICATE REQUEST-----\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
