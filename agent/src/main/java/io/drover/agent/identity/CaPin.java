package io.drover.agent.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The cluster CA the agent was told to trust: the certificate in {@code --ca-file}, or the SHA-256
 * fingerprint of {@code --ca-fingerprint sha256:HEX} (of the CA certificate's DER). The CA a grant
 * carries must be that one.
 */
public record CaPin(Optional<String> caPem, Optional<String> sha256) {
    public static CaPin none() {
        return new CaPin(Optional.empty(), Optional.empty());
    }

    public static CaPin file(String caPem) {
        return new CaPin(Optional.of(caPem), Optional.empty());
    }

    /** @throws IllegalArgumentException when the text is not {@code sha256:} and 64 hex digits */
    public static CaPin fingerprint(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace(":", "");
        if (!t.startsWith("sha256") || !t.substring(6).matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("--ca-fingerprint must be sha256: and 64 hex digits (colons allowed), was '"
                    + text + "'");
        }
        return new CaPin(Optional.empty(), Optional.of(t.substring(6)));
    }

    /** @throws EnrollmentRefusedException when {@code presentedCaPem} is not the pinned CA */
    public void check(String presentedCaPem) throws EnrollmentRefusedException {
        String presented = fingerprintOf(presentedCaPem);
        Optional<String> expected = caPem.isPresent() ? Optional.of(fingerprintOf(caPem.get())) : sha256;
        if (expected.isPresent() && !expected.get().equals(presented)) {
            throw new EnrollmentRefusedException("the coordinator's CA has fingerprint sha256:" + presented
                    + ", not the pinned sha256:" + expected.get() + "; check --ca-file or --ca-fingerprint");
        }
    }

    /** The SHA-256 of a PEM certificate's DER, as lowercase hex. */
    public static String fingerprintOf(String certificatePem) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Pem.certificate(certificatePem).getEncoded()));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
