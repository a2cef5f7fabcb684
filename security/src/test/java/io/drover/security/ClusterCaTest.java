package io.drover.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class ClusterCaTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
    private final ClusterCa ca = ClusterCa.create("prod-1", clock);

    @Test
    void theCaIsAnEcP256CaForTenYears() throws Exception {
        X509Certificate c = ca.certificate();

        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=prod-1 Drover CA,O=Drover");
        assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
        assertThat(c.getBasicConstraints()).isEqualTo(0);
        assertThat(c.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(c.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(c.getNotAfter().toInstant()).isEqualTo(clock.instant().plus(ClusterCa.LIFETIME));
        c.verify(c.getPublicKey());
    }

    @Test
    void aClusterNameIsChecked() {
        assertThatThrownBy(() -> ClusterCa.create("a,b=c", clock)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a cluster name is 1-64 letters");
    }

    @Test
    void aServerCertificateNamesItsHostsAndAddresses() throws Exception {
        IssuedCredentials issued = ca.issueServer(List.of("coord-1.example.org", "localhost", "127.0.0.1", "::1"), Duration.ofDays(30));
        X509Certificate c = issued.certificate();

        assertThat(issued.chain()).containsExactly(c, ca.certificate());
        assertThat(c.getPublicKey()).isEqualTo(issued.keyPair().getPublic());
        assertThat(c.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "coord-1.example.org"), List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(c.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(c.getBasicConstraints()).isEqualTo(-1);
        assertThat(c.getNotAfter().toInstant()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));
        ca.verifyIssued(c);
        assertThat(issued.keyStore(new char[0]).isKeyEntry(IssuedCredentials.ALIAS)).isTrue();
    }

    @Test
    void aServerNameThatIsNoHostNameIsRefused() {
        assertThatThrownBy(() -> ca.issueServer(List.of("bad name"), Duration.ofDays(1)))
                .hasMessage("'bad name' is neither a host name nor an IP address");
        assertThatThrownBy(() -> ca.issueServer(List.of(), Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAgentCertificateCarriesItsIdPoolAndClientAuth() throws Exception {
        KeyPair keys = AgentKeys.generateKeyPair();
        X509Certificate c = ca.signAgent(AgentKeys.certificateRequest(keys, "edge-7"), "edge-7", "gpu", Duration.ofHours(24));

        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=edge-7");
        assertThat(ClusterCa.agentId(c)).isEqualTo("edge-7");
        assertThat(ClusterCa.pool(c)).contains("gpu");
        assertThat(c.getSubjectAlternativeNames()).containsExactly(List.of(6, "drover:pool:gpu"));
        assertThat(c.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(c.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(c.getNotBefore().toInstant()).isEqualTo(clock.instant().minus(Duration.ofMinutes(1)));
        assertThat(c.getNotAfter().toInstant()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
        assertThat(c.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        ca.verifyIssued(c);
    }

    @Test
    void serialsAreRandomAnd128Bits() throws Exception {
        String csr = AgentKeys.certificateRequest(AgentKeys.generateKeyPair(), "a");
        Set<BigInteger> serials = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            BigInteger serial = ca.signAgent(csr, "a", "p", Duration.ofHours(1)).getSerialNumber();
            assertThat(serial.signum()).isPositive();
            assertThat(serial.bitLength()).isLessThanOrEqualTo(128);
            serials.add(serial);
        }
        assertThat(serials).hasSize(20);
        assertThat(serials.stream().mapToInt(BigInteger::bitLength).max().getAsInt()).isGreaterThan(120);
    }

    @Test
    void aRequestForAnotherAgentIdIsRefused() {
        String csr = AgentKeys.certificateRequest(AgentKeys.generateKeyPair(), "edge-8");

        assertThatThrownBy(() -> ca.signAgent(csr, "edge-7", "gpu", Duration.ofHours(1)))
                .isInstanceOf(BadCertificateRequestException.class)
                .hasMessage("the certificate request names 'edge-8', not the joining agent 'edge-7'");
    }

    @Test
    void aRequestSignedByAnotherKeyIsRefused() throws Exception {
        KeyPair claimed = AgentKeys.generateKeyPair();
        KeyPair signer = AgentKeys.generateKeyPair();
        String csr = Pem.encodeRequest(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=edge-7"), claimed.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));

        assertThatThrownBy(() -> ca.signAgent(csr, "edge-7", "gpu", Duration.ofHours(1)))
                .isInstanceOf(BadCertificateRequestException.class)
                .hasMessageStartingWith("the certificate request's signature does not match its key");
    }

    @Test
    void aRequestWithAnotherKindOfKeyIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair p384 = generator.generateKeyPair();
        String csr = Pem.encodeRequest(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=edge-7"), p384.getPublic())
                .build(new JcaContentSignerBuilder("SHA384withECDSA").build(p384.getPrivate())));

        assertThatThrownBy(() -> ca.signAgent(csr, "edge-7", "gpu", Duration.ofHours(1)))
                .isInstanceOf(BadCertificateRequestException.class).hasMessageContaining("not an EC P-256 key");
    }

    @Test
    void unreadableOrHugeRequestsAreRefused() {
        assertThatThrownBy(() -> ca.signAgent("", "a", "p", Duration.ofHours(1)))
                .isInstanceOf(BadCertificateRequestException.class).hasMessage("the certificate request is empty");
        assertThatThrownBy(() -> ca.signAgent("x".repeat(20_000), "a", "p", Duration.ofHours(1)))
                .isInstanceOf(BadCertificateRequestException.class).hasMessageContaining("at most 16384");
        assertThatThrownBy(() -> ca.signAgent(Pem.encodeCertificate(ca.certificate()), "a", "p", Duration.ofHours(1)))
                .isInstanceOf(BadCertificateRequestException.class)
                .hasMessage("unreadable certificate request: expected a certificate request, found a certificate");
        String csr = AgentKeys.certificateRequest(AgentKeys.generateKeyPair(), "a");
        assertThatThrownBy(() -> ca.signAgent(csr, "a", "p,q", Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTamperedRequestIsRefused() {
        String csr = AgentKeys.certificateRequest(AgentKeys.generateKeyPair(), "edge-7");
        // Change one base64 character inside the body: the DER either breaks or no longer matches the signature.
        String[] lines = csr.split("\n");
        char[] body = lines[2].toCharArray();
        body[10] = body[10] == 'A' ? 'B' : 'A';
        lines[2] = new String(body);
        String tampered = String.join("\n", lines) + "\n";

        assertThatThrownBy(() -> ca.signAgent(tampered, "edge-7", "gpu", Duration.ofHours(1)))
                .isInstanceOf(BadCertificateRequestException.class);
    }

    @Test
    void aTamperedCertificateFailsVerification() throws Exception {
        X509Certificate good = ca.signAgent(AgentKeys.certificateRequest(AgentKeys.generateKeyPair(), "edge-7"), "edge-7", "gpu",
                Duration.ofHours(1));
        byte[] der = good.getEncoded();
        String cn = "edge-7";
        // Rename the subject in place (same length), leaving the CA's signature as it was.
        int at = indexOf(der, cn.getBytes());
        der[at + 5] = '8';
        X509Certificate forged = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));

        assertThat(ClusterCa.agentId(forged)).isEqualTo("edge-8");
        assertThatThrownBy(() -> ca.verifyIssued(forged)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("does not carry this cluster CA's signature");
    }

    @Test
    void aCertificateFromAnotherCaOrPastItsEndFailsVerification() throws Exception {
        ClusterCa other = ClusterCa.create("prod-1", clock);
        String csr = AgentKeys.certificateRequest(AgentKeys.generateKeyPair(), "edge-7");
        X509Certificate foreign = other.signAgent(csr, "edge-7", "gpu", Duration.ofHours(1));
        X509Certificate mine = ca.signAgent(csr, "edge-7", "gpu", Duration.ofHours(1));

        assertThatThrownBy(() -> ca.verifyIssued(foreign)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("does not carry this cluster CA's signature");
        clock.advance(Duration.ofHours(2));
        assertThatThrownBy(() -> ca.verifyIssued(mine)).isInstanceOf(CertificateException.class);
    }

    @Test
    void noCertificateOutlivesTheCa() throws Exception {
        X509Certificate c = ca.signAgent(AgentKeys.certificateRequest(AgentKeys.generateKeyPair(), "a"), "a", "p",
                Duration.ofDays(10_000));

        assertThat(c.getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
        assertThatThrownBy(() -> ca.issueServer(List.of("localhost"), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCaLoadsOnlyWithItsOwnKey() {
        ClusterCa other = ClusterCa.create("x", clock);

        assertThat(ClusterCa.of(ca.certificate(), ca.privateKey(), clock).certificate()).isEqualTo(ca.certificate());
        assertThatThrownBy(() -> ClusterCa.of(ca.certificate(), other.privateKey(), clock))
                .hasMessageStartingWith("the CA key does not belong to the CA certificate");
    }

    @Test
    void aFingerprintIsTheSha256OfTheDer() throws Exception {
        String expected = "sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(ca.certificate().getEncoded()));

        assertThat(ClusterCa.fingerprint(ca.certificate())).isEqualTo(expected).matches("sha256:[0-9a-f]{64}");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
