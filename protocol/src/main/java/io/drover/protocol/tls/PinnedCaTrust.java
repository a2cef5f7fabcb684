package io.drover.protocol.tls;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts a server chain only if it carries a certificate with the pinned SHA-256 fingerprint and the
 * certificates before it verify up to that one. For an agent that knows only the cluster CA's
 * fingerprint (from its join token); the CA it saw is kept so the agent can store it.
 *
 * <p>A plain {@link X509TrustManager} on purpose: the JDK then checks the server's host name against
 * its certificate itself, as it does for the ordinary trust managers.
 */
final class PinnedCaTrust implements X509TrustManager {
    private final String fingerprint;
    private final AtomicReference<X509Certificate> seen = new AtomicReference<>();

    PinnedCaTrust(String fingerprint) {
        this.fingerprint = Fingerprints.normalize(fingerprint);
    }

    String fingerprint() {
        return fingerprint;
    }

    Optional<X509Certificate> seenCa() {
        return Optional.ofNullable(seen.get());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        int at = -1;
        for (int i = 0; i < chain.length && at < 0; i++) {
            if (Fingerprints.sha256(chain[i]).equals(fingerprint)) {
                at = i;
            }
        }
        if (at < 0) {
            throw new CertificateException("the server's certificate chain holds no certificate with the pinned CA "
                    + "fingerprint " + fingerprint);
        }
        if (at == 0) {
            throw new CertificateException("the server presented the pinned CA certificate itself, not a certificate "
                    + "the CA issued");
        }
        X509Certificate ca = chain[at];
        try {
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(chain).subList(0, at)), params);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("the server's certificate does not verify up to the pinned CA "
                    + fingerprint + ": " + e.getMessage(), e);
        }
        seen.set(ca);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a pinned-CA trust manager checks servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
