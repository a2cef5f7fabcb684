package io.drover.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * An agent's identity: its private key (never sent), the certificate the cluster CA issued for it,
 * and that CA's certificate, kept in an identity directory ({@code <work dir>/identity}, 0700):
 * {@code agent.key} (0600), {@code agent.pem}, {@code ca.pem}. The static methods make the key and
 * the signing request for a join or a renewal.
 */
public record AgentKeys(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
    public static final String KEY_FILE = "agent.key";
    public static final String CERTIFICATE_FILE = "agent.pem";
    public static final String CA_FILE = "ca.pem";

    public AgentKeys {
        if (key == null || certificate == null || ca == null) {
            throw new IllegalArgumentException("an agent identity needs a key, a certificate and the CA");
        }
        if (!EcKeys.matches(key, certificate.getPublicKey())) {
            throw new IllegalArgumentException("the agent key does not belong to the certificate of "
                    + certificate.getSubjectX500Principal());
        }
    }

    /** A new EC P-256 key pair. */
    public static KeyPair generateKeyPair() {
        return EcKeys.generate(new SecureRandom());
    }

    /** A PKCS#10 request, as PEM, for {@code agentId} (its CN) and signed with {@code keys}. */
    public static String certificateRequest(KeyPair keys, String agentId) {
        if (!Names.isAgentId(agentId)) {
            throw new IllegalArgumentException("an agent id is 1-128 letters, digits, '.', '_' or '-', not '" + agentId + "'");
        }
        var subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, agentId).build();
        return Pem.encodeRequest(new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                .build(EcKeys.signer(keys.getPrivate())));
    }

    /**
     * Reads the identity in {@code identityDir}: empty when the directory or the certificate is missing
     * (the agent has not joined yet).
     *
     * @throws IOException if the files are unreadable, the key is open to group or others, or the key
     *                     and certificate do not belong together (remove the directory and join again)
     */
    public static Optional<AgentKeys> load(Path identityDir) throws IOException {
        Path keyFile = identityDir.resolve(KEY_FILE);
        Path certificateFile = identityDir.resolve(CERTIFICATE_FILE);
        if (!Files.isRegularFile(keyFile) || !Files.isRegularFile(certificateFile)) {
            return Optional.empty();
        }
        PrivateFiles.checkPrivate(keyFile);
        try {
            return Optional.of(new AgentKeys(Pem.decodePrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII)),
                    Pem.decodeCertificate(Files.readString(certificateFile, StandardCharsets.US_ASCII)),
                    Pem.decodeCertificate(Files.readString(identityDir.resolve(CA_FILE), StandardCharsets.US_ASCII))));
        } catch (IllegalArgumentException e) {
            throw new IOException("the agent identity in " + identityDir + " is unusable (" + e.getMessage()
                    + "); remove that directory and join again with a join token", e);
        }
    }

    /**
     * Writes the identity to {@code identityDir} (made 0700 if needed), every file 0600, each replaced in
     * one step: the CA, then the key, then the certificate.
     */
    public void store(Path identityDir) throws IOException {
        PrivateFiles.ensureDirectory(identityDir);
        PrivateFiles.replace(identityDir.resolve(CA_FILE), Pem.encodeCertificate(ca).getBytes(StandardCharsets.US_ASCII));
        PrivateFiles.replace(identityDir.resolve(KEY_FILE), Pem.encodePrivateKey(key).getBytes(StandardCharsets.US_ASCII));
        PrivateFiles.replace(identityDir.resolve(CERTIFICATE_FILE), Pem.encodeCertificate(certificate).getBytes(StandardCharsets.US_ASCII));
    }

    public String agentId() {
        return ClusterCa.agentId(certificate);
    }

    public Optional<String> pool() {
        return ClusterCa.pool(certificate);
    }

    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    public Instant expiresAt() {
        return certificate.getNotAfter().toInstant();
    }

    /** When to renew: two thirds of the way through the certificate's lifetime. */
    public Instant renewAt() {
        Duration lifetime = Duration.between(notBefore(), expiresAt());
        return notBefore().plus(lifetime.multipliedBy(2).dividedBy(3));
    }

    /** Whether the certificate is in its validity period at {@code now}. */
    public boolean validAt(Instant now) {
        return !now.isBefore(notBefore()) && now.isBefore(expiresAt());
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "AgentKeys[" + certificate.getSubjectX500Principal() + ", expires " + expiresAt() + "]";
    }
}
