package io.drover.protocol.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 fingerprints of certificates (of their DER encoding), as lower-case hex without separators. */
public final class Fingerprints {
    private Fingerprints() {
    }

    public static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }

    /**
     * {@code text} as a fingerprint: "sha256:" prefix, colons and case are forgiven, so what
     * {@code openssl x509 -fingerprint -sha256} prints is accepted as it is.
     */
    public static String normalize(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("sha256:")) {
            t = t.substring("sha256:".length());
        } else if (t.startsWith("sha256 fingerprint=")) {
            t = t.substring("sha256 fingerprint=".length());
        }
        t = t.replace(":", "");
        if (!t.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("'" + text + "' is not a SHA-256 fingerprint (expected 64 hex digits, "
                    + "colons allowed)");
        }
        return t;
    }
}
