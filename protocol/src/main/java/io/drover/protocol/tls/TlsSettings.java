package io.drover.protocol.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * How one side of a Drover connection secures it: not at all ({@link #insecure()}), as a client that
 * trusts the cluster CA (optionally presenting its own certificate, as agents do), as a client that
 * knows only the CA's fingerprint, or as the coordinator. TLS 1.3 only; the client checks the
 * coordinator's host name against its certificate.
 *
 * <p>Immutable: an agent that renews its certificate builds new settings, and its connections pick
 * them up on their next socket. The one exception is what a {@link #pinnedCa} client saw:
 * {@link #seenCa()} is set by the handshake that verified it.
 */
public final class TlsSettings {
    /** The only protocol Drover speaks. */
    public static final String PROTOCOL = "TLSv1.3";

    private enum Mode { INSECURE, CLIENT, SERVER }

    private static final TlsSettings INSECURE = new TlsSettings(Mode.INSECURE, null, null, null, null);

    private final Mode mode;
    private final SSLContext context;
    private final X509Certificate ca;
    private final String caSource;
    private final PinnedCaTrust pinned;

    private TlsSettings(Mode mode, SSLContext context, X509Certificate ca, String caSource, PinnedCaTrust pinned) {
        this.mode = mode;
        this.context = context;
        this.ca = ca;
        this.caSource = caSource;
        this.pinned = pinned;
    }

    /** Plaintext: no TLS at all (a coordinator run with --insecure, and everything that talks to it). */
    public static TlsSettings insecure() {
        return INSECURE;
    }

    /** A client that trusts only {@code ca} and presents no certificate (the CLI, the SDK). */
    public static TlsSettings client(X509Certificate ca) {
        return client(ca, "the cluster CA certificate given");
    }

    /** As {@link #client(X509Certificate)}; {@code caSource} (a file name) is named in errors. */
    public static TlsSettings client(X509Certificate ca, String caSource) {
        return new TlsSettings(Mode.CLIENT, context(null, trusting(ca)), ca, caSource, null);
    }

    /** A client trusting the CA certificate in {@code caFile}, which is named in errors. */
    public static TlsSettings clientTrusting(Path caFile) {
        return client(Pem.readCertificate(caFile), caFile.toString());
    }

    /** An agent: presents {@code chain} (its certificate first) with {@code key}, trusts only {@code ca}. */
    public static TlsSettings clientWithKey(PrivateKey key, List<X509Certificate> chain, X509Certificate ca) {
        return new TlsSettings(Mode.CLIENT, context(keys(key, chain), trusting(ca)), ca, "the cluster CA certificate given",
                null);
    }

    /**
     * A client that knows only the cluster CA's SHA-256 fingerprint (a joining agent): it accepts a
     * server chain that holds a certificate with that fingerprint and verifies up to it.
     */
    public static TlsSettings pinnedCa(String sha256Fingerprint) {
        PinnedCaTrust trust = new PinnedCaTrust(sha256Fingerprint);
        return new TlsSettings(Mode.CLIENT, context(null, new TrustManager[] {trust}), null,
                "the CA with fingerprint " + trust.fingerprint(), trust);
    }

    /**
     * The coordinator: presents {@code chain} with {@code key}; asks for, but does not require, a
     * client certificate, and accepts only those {@code ca} issued.
     */
    public static TlsSettings server(PrivateKey key, List<X509Certificate> chain, X509Certificate ca) {
        return new TlsSettings(Mode.SERVER, context(keys(key, chain), trusting(ca)), ca, "the cluster CA certificate given",
                null);
    }

    public boolean isInsecure() {
        return mode == Mode.INSECURE;
    }

    public boolean isServer() {
        return mode == Mode.SERVER;
    }

    /** The TLS context; only for settings that are not {@link #insecure()}. */
    public SSLContext sslContext() {
        if (context == null) {
            throw new IllegalStateException("insecure settings have no TLS context");
        }
        return context;
    }

    /** TLS 1.3 only; clients verify the server's host name against its certificate. */
    public SSLParameters parameters() {
        SSLParameters p = sslContext().getDefaultSSLParameters();
        p.setProtocols(new String[] {PROTOCOL});
        if (mode == Mode.SERVER) {
            p.setWantClientAuth(true);
        } else {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        return p;
    }

    /** The CA this side trusts, when it was given one (not for {@link #pinnedCa} or insecure). */
    public Optional<X509Certificate> ca() {
        return Optional.ofNullable(ca);
    }

    /** Where the trusted CA came from, for errors ("/etc/drover/ca.pem", "the CA with fingerprint ..."). */
    public String caSource() {
        return caSource == null ? "no CA (insecure)" : caSource;
    }

    /** For {@link #pinnedCa} settings: the CA certificate a handshake verified, once one has. */
    public Optional<X509Certificate> seenCa() {
        return pinned == null ? Optional.empty() : pinned.seenCa();
    }

    @Override
    public String toString() {
        return mode == Mode.INSECURE ? "insecure" : mode.name().toLowerCase() + " TLS trusting " + caSource;
    }

    private static TrustManager[] trusting(X509Certificate ca) {
        Objects.requireNonNull(ca, "ca");
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("cluster-ca", ca);
            TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(store);
            return f.getTrustManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot trust the CA " + ca.getSubjectX500Principal() + ": " + e, e);
        }
    }

    private static KeyManager[] keys(PrivateKey key, List<X509Certificate> chain) {
        Objects.requireNonNull(key, "key");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain is needed with the private key");
        }
        try {
            char[] password = "drover".toCharArray(); // in memory only; PKCS12 wants one
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("self", key, password, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory f = KeyManagerFactory.getInstance("PKIX");
            f.init(store, password);
            return f.getKeyManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("the private key does not fit the certificate "
                    + chain.get(0).getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    private static SSLContext context(KeyManager[] keys, TrustManager[] trust) {
        try {
            SSLContext c = SSLContext.getInstance(PROTOCOL);
            c.init(keys, trust, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot do " + PROTOCOL + ": " + e.getMessage(), e);
        }
    }
}
