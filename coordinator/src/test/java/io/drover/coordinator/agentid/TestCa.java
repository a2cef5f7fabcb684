package io.drover.coordinator.agentid;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A cluster CA for tests, standing in for the security module's {@code ClusterCa}: EC P-256,
 * certificates with CN = agent id and the pool as a SAN URI, valid for {@code ttl} from the clock.
 */
public final class TestCa implements AgentCertificateIssuer {
    private final KeyPair key = newKey();
    private final X509Certificate ca;
    private final Clock clock;
    private final Duration ttl;
    private final SecureRandom random = new SecureRandom();

    public TestCa(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
        try {
            Instant now = clock.instant();
            X500Name name = new X500Name("CN=drover test CA");
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(Duration.ofDays(365))), name, key.getPublic());
            this.ca = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair newKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#10 request for {@code key}, PEM. */
    public static String csr(KeyPair key, String cn) {
        try {
            PKCS10CertificationRequest req = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + cn), key.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
            return pem(req);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public IssuedCertificate issue(String csrPem, String agentId, Optional<String> pool) {
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            Object read = parser.readObject();
            if (!(read instanceof PKCS10CertificationRequest req)
                    || !req.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build(req.getSubjectPublicKeyInfo()))) {
                throw new IllegalArgumentException("not a valid signing request");
            }
            Instant now = clock.instant();
            BigInteger serial = new BigInteger(127, random).add(BigInteger.TWO);
            var builder = new org.bouncycastle.cert.X509v3CertificateBuilder(
                    new X500Name(ca.getSubjectX500Principal().getName()), serial, Date.from(now.minusSeconds(1)),
                    Date.from(now.plus(ttl)), new X500Name("CN=" + agentId), req.getSubjectPublicKeyInfo());
            if (pool.isPresent()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, "drover:pool:" + pool.get())));
            }
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
            return new IssuedCertificate(pem(cert), pem(ca), serial, cert.getNotAfter().toInstant());
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot sign: " + e, e);
        }
    }

    public static X509Certificate certificate(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) parser.readObject());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object o) throws java.io.IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
