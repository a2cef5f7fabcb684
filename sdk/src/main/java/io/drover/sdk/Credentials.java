package io.drover.sdk;

import io.drover.protocol.tls.ClientSecurity;
import io.drover.protocol.tls.Pem;
import io.drover.protocol.tls.TlsSettings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a {@link DroverClient} proves itself to coordinators and checks them: the cluster CA
 * certificate it trusts (a PEM file or PEM text) and the token it presents, or plaintext with no
 * checks at all ({@link #insecure()}, for a coordinator run with --insecure).
 *
 * <p>Immutable; the CA is read when the client is built, so a missing or malformed file is reported
 * then, naming the file.
 */
public final class Credentials {
    private final String caPem;
    private final String caSource;
    private final String token;

    private Credentials(String caPem, String caSource, String token) {
        this.caPem = caPem;
        this.caSource = caSource;
        this.token = token;
    }

    /**
     * Plaintext, no token: only for a coordinator run with --insecure.
     *
     * @return the credentials
     */
    public static Credentials insecure() {
        return new Credentials(null, null, null);
    }

    /**
     * TLS, trusting the cluster CA certificate in {@code caFile} (PEM).
     *
     * @param caFile the CA certificate, PEM
     * @return the credentials
     */
    public static Credentials caFile(Path caFile) {
        Objects.requireNonNull(caFile, "caFile");
        return new Credentials(readText(caFile), caFile.toString(), null);
    }

    /**
     * TLS, trusting the cluster CA certificate given as PEM text.
     *
     * @param pem the CA certificate
     * @return the credentials
     */
    public static Credentials caPem(String pem) {
        Objects.requireNonNull(pem, "pem");
        return new Credentials(pem, "the CA certificate given as PEM", null);
    }

    /**
     * These credentials presenting {@code token} (a join token's secret) in every hello.
     *
     * @param token the token, 1..4096 characters, or null for none
     * @return new credentials
     */
    public Credentials withToken(String token) {
        if (token != null && (token.isBlank() || token.length() > 4096)) {
            throw new IllegalArgumentException("a token must be 1..4096 characters");
        }
        return new Credentials(caPem, caSource, token);
    }

    /**
     * Plaintext, without TLS.
     *
     * @return whether these are plaintext credentials
     */
    public boolean isInsecure() {
        return caPem == null;
    }

    /**
     * Whether a token goes with every hello.
     *
     * @return whether a token is presented
     */
    public boolean hasToken() {
        return token != null;
    }

    /** What the connection layer needs; parses the CA (errors name where it came from). */
    ClientSecurity toSecurity() {
        TlsSettings tls = caPem == null ? TlsSettings.insecure()
                : TlsSettings.client(Pem.certificates(caPem, caSource).get(0), caSource);
        return ClientSecurity.of(tls, token);
    }

    private static String readText(Path file) {
        try {
            return java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the CA certificate " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return (caPem == null ? "insecure" : "TLS trusting " + caSource) + (token == null ? "" : ", with a token");
    }
}
