package io.drover.testkit.tls;

import io.drover.protocol.tls.Pem;
import io.drover.protocol.tls.TlsSettings;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for TLS tests: an EC P-256 CA that issues server certificates
 * (for {@code localhost} and {@code 127.0.0.1}) and client certificates (CN = an agent id). Not the
 * production CA: that is the security module's.
 */
public final class TestPki {
    /** A key and its certificate chain, the certificate first. */
    public record Issued(PrivateKey key, List<X509Certificate> chain) {
        public X509Certificate certificate() {
            return chain.get(0);
        }
    }

    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final AtomicLong serials = new AtomicLong(1);

    private TestPki(KeyPair caKeys, X509Certificate ca) {
        this.caKeys = caKeys;
        this.ca = ca;
    }

    /** A new CA named {@code name}. */
    public static TestPki create(String name) {
        KeyPair keys = ecKeys();
        X500Name subject = new X500Name("CN=" + name);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE, from(), until(),
                    subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new TestPki(keys, sign(b, keys.getPrivate()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a test CA", e);
        }
    }

    public X509Certificate ca() {
        return ca;
    }

    /** A server certificate for {@code localhost} and {@code 127.0.0.1}. */
    public Issued server() {
        return issue("drover-coordinator", List.of("localhost", "127.0.0.1"), true);
    }

    /** A client certificate with {@code cn} as its common name (an agent id). */
    public Issued client(String cn) {
        return issue(cn, List.of(), false);
    }

    /** A certificate for {@code cn} naming {@code hosts} (names or IP addresses). */
    public Issued issue(String cn, List<String> hosts, boolean server) {
        KeyPair keys = ecKeys();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, BigInteger.valueOf(serials.incrementAndGet()),
                    from(), until(), new X500Name("CN=" + cn), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            if (!hosts.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                for (String h : hosts) {
                    names.add(new GeneralName(h.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, h));
                }
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            }
            return new Issued(keys.getPrivate(), List.of(sign(b, caKeys.getPrivate()), ca));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a test certificate for " + cn, e);
        }
    }

    /** The coordinator's settings: a server certificate from this CA. */
    public TlsSettings serverSettings() {
        Issued s = server();
        return TlsSettings.server(s.key(), s.chain(), ca);
    }

    /** A client trusting this CA, presenting no certificate. */
    public TlsSettings clientSettings() {
        return TlsSettings.client(ca, "the test CA");
    }

    /** An agent: a client certificate for {@code agentId} from this CA. */
    public TlsSettings agentSettings(String agentId) {
        Issued c = client(agentId);
        return TlsSettings.clientWithKey(c.key(), c.chain(), ca);
    }

    /** Writes the CA certificate as PEM to {@code file}. */
    public Path writeCa(Path file) throws IOException {
        Files.writeString(file, Pem.encodeCertificates(List.of(ca)));
        return file;
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign", e);
        }
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
        }
    }

    private static Date from() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date until() {
        return Date.from(Instant.now().plus(Duration.ofDays(2)));
    }
}
