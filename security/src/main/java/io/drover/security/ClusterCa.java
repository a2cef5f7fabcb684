package io.drover.security;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * The cluster's certificate authority: an EC P-256 key and a self-signed certificate good for ten
 * years. It issues coordinators their TLS server certificates and signs agents' requests. Every
 * issued certificate has a random 128-bit serial and starts a minute back, so a peer whose clock is
 * a little behind still accepts it; none outlives the CA.
 */
public final class ClusterCa {
    public static final Duration LIFETIME = Duration.ofDays(3650);
    /** The scheme and prefix of the SAN URI that carries an agent's pool: {@code drover:pool:<pool>}. */
    public static final String POOL_URI_PREFIX = "drover:pool:";
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    private ClusterCa(X509Certificate certificate, PrivateKey key, Clock clock) {
        this.certificate = certificate;
        this.key = key;
        this.clock = clock;
    }

    /** A new CA named {@code <clusterName> Drover CA}, valid from now for {@link #LIFETIME}. */
    public static ClusterCa create(String clusterName, Clock clock) {
        if (clusterName == null || !CLUSTER_NAME.matcher(clusterName).matches()) {
            throw new IllegalArgumentException("a cluster name is 1-64 letters, digits, '.', '_' or '-', not '" + clusterName + "'");
        }
        SecureRandom random = new SecureRandom();
        KeyPair keys = EcKeys.generate(random);
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Drover").addRDN(BCStyle.CN, clusterName + " Drover CA").build();
        Instant now = clock.instant();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(random),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(LIFETIME)), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(EcKeys.signer(keys.getPrivate())));
            return new ClusterCa(certificate, keys.getPrivate(), clock);
        } catch (CertIOException | CertificateException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot build the CA certificate: " + e.getMessage(), e);
        }
    }

    /**
     * The CA a secrets directory holds.
     *
     * @throws IllegalArgumentException if the certificate is not a CA's or the key is not its key
     */
    public static ClusterCa of(X509Certificate certificate, PrivateKey key, Clock clock) {
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("the certificate of " + certificate.getSubjectX500Principal() + " is not a CA's");
        }
        if (!EcKeys.matches(key, certificate.getPublicKey())) {
            throw new IllegalArgumentException("the CA key does not belong to the CA certificate " + certificate.getSubjectX500Principal());
        }
        return new ClusterCa(certificate, key, clock);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** For the secrets directory that stores it; nothing else needs the CA's key. */
    PrivateKey privateKey() {
        return key;
    }

    /**
     * A fresh key pair and certificate for a coordinator's TLS server: a SAN for each host name
     * (DNS) or IP address literal given, server-auth EKU, valid for {@code ttl}.
     */
    public IssuedCredentials issueServer(List<String> hostNamesAndIps, Duration ttl) {
        if (hostNamesAndIps == null || hostNamesAndIps.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one host name or address");
        }
        List<GeneralName> names = new ArrayList<>();
        for (String name : hostNamesAndIps) {
            names.add(serverName(name));
        }
        KeyPair keys = EcKeys.generate(random);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Drover")
                .addRDN(BCStyle.CN, hostNamesAndIps.get(0)).build();
        X509Certificate issued = issue(subject, keys.getPublic(), ttl, KeyPurposeId.id_kp_serverAuth,
                new GeneralNames(names.toArray(new GeneralName[0])));
        return new IssuedCredentials(keys, List.of(issued, certificate));
    }

    /**
     * Signs an agent's PKCS#10 request: CN = {@code agentId}, pool in the SAN URI
     * {@code drover:pool:<pool>}, client-auth EKU, valid for {@code ttl}.
     *
     * @throws BadCertificateRequestException naming what is wrong with the request (unreadable, bad signature,
     *                                        a key other than EC P-256, a CN other than {@code agentId})
     */
    public X509Certificate signAgent(String csrPem, String agentId, String pool, Duration ttl) throws BadCertificateRequestException {
        if (!Names.isAgentId(agentId)) {
            throw new IllegalArgumentException("an agent id is 1-128 letters, digits, '.', '_' or '-', not '" + agentId + "'");
        }
        if (!Names.isPool(pool)) {
            throw new IllegalArgumentException("a pool is 1-128 letters, digits, '.', '_', '@' or '-', not '" + pool + "'");
        }
        PublicKey publicKey = AgentRequests.check(csrPem, agentId);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, agentId).build();
        return issue(subject, publicKey, ttl, KeyPurposeId.id_kp_clientAuth,
                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, POOL_URI_PREFIX + pool)));
    }

    /**
     * Checks that this CA signed {@code certificate} and that it is valid now.
     *
     * @throws CertificateException saying why not (another issuer, a bad signature, expired, not yet valid)
     */
    public void verifyIssued(X509Certificate certificate) throws CertificateException {
        if (!certificate.getIssuerX500Principal().equals(this.certificate.getSubjectX500Principal())) {
            throw new CertificateException("certificate of " + certificate.getSubjectX500Principal() + " was issued by "
                    + certificate.getIssuerX500Principal() + ", not by this cluster's CA");
        }
        try {
            certificate.verify(this.certificate.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CertificateException("certificate of " + certificate.getSubjectX500Principal()
                    + " does not carry this cluster CA's signature (altered, or signed by another CA)", e);
        }
        certificate.checkValidity(Date.from(clock.instant()));
    }

    /** The CN of a certificate's subject: an agent's id. */
    public static String agentId(X509Certificate certificate) {
        RDN[] cns = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
        if (cns.length != 1 || cns[0].isMultiValued()) {
            throw new IllegalArgumentException("certificate " + certificate.getSubjectX500Principal() + " does not name one agent (CN)");
        }
        return IETFUtils.valueToString(cns[0].getFirst().getValue());
    }

    /** The pool of an agent certificate (its {@code drover:pool:} SAN URI), empty when it has none. */
    public static Optional<String> pool(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return Optional.empty();
            }
            for (List<?> name : names) {
                if (Integer.valueOf(GeneralName.uniformResourceIdentifier).equals(name.get(0))
                        && name.get(1) instanceof String uri && uri.startsWith(POOL_URI_PREFIX)) {
                    return Optional.of(uri.substring(POOL_URI_PREFIX.length()));
                }
            }
            return Optional.empty();
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("unreadable subject alternative names in " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** {@code sha256:} and the lower-case hex SHA-256 of the certificate's DER: what agents pin. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    private X509Certificate issue(X500Name subject, PublicKey publicKey, Duration ttl, KeyPurposeId purpose, GeneralNames names) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a certificate's lifetime must be positive, not " + ttl);
        }
        Instant now = clock.instant();
        Instant caEnd = certificate.getNotAfter().toInstant();
        if (!now.isBefore(caEnd)) {
            throw new IllegalStateException("the cluster CA expired at " + caEnd + "; create a new one with 'drover ca init'");
        }
        Instant notAfter = ttl.compareTo(Duration.between(now, caEnd)) < 0 ? now.plus(ttl) : caEnd;
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(random),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(notAfter), subject, publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectAlternativeName, false, names)
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
            return new JcaX509CertificateConverter().getCertificate(builder.build(EcKeys.signer(key)));
        } catch (CertIOException | CertificateException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    private static GeneralName serverName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a blank host name cannot go in a certificate");
        }
        String n = name.trim();
        if (IPAddress.isValid(n)) {
            return new GeneralName(GeneralName.iPAddress, n);
        }
        if (!HOST_NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("'" + name + "' is neither a host name nor an IP address");
        }
        return new GeneralName(GeneralName.dNSName, n);
    }

    /** Positive and non-zero, 128 random bits: unpredictable, as the CA/Browser Forum asks of serials. */
    private static BigInteger serial(SecureRandom random) {
        BigInteger serial;
        do {
            serial = new BigInteger(128, random);
        } while (serial.signum() == 0);
        return serial;
    }
}
