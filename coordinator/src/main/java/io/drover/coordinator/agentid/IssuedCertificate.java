package io.drover.coordinator.agentid;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.HexFormat;

/** A certificate the CA just signed: its PEM, the CA's PEM to trust, its serial and its end. */
public record IssuedCertificate(String certificatePem, String caPem, BigInteger serial, Instant notAfter) {
    public IssuedCertificate {
        if (certificatePem == null || caPem == null || serial == null || notAfter == null) {
            throw new IllegalArgumentException("an issued certificate needs its PEM, the CA's PEM, a serial and notAfter");
        }
    }

    /** SHA-256 (hex) of the certificate's public key: what a retried join with the same key pair matches. */
    public String keySha256() {
        try {
            var cert = CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the certificate just issued does not parse", e);
        }
    }
}
