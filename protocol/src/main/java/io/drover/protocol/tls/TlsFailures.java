package io.drover.protocol.tls;

import java.io.EOFException;
import java.net.SocketException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.thrift.TApplicationException;

/**
 * Turns what the JDK throws when a TLS connection to a coordinator fails into errors a user can act
 * on. The JDK's messages ("PKIX path building failed", "Unsupported or unrecognized SSL message")
 * name neither the coordinator nor the setting to change.
 */
public final class TlsFailures {
    private TlsFailures() {
    }

    /**
     * The refusal {@code failure} amounts to, if it is a TLS failure retrying cannot mend; empty for
     * anything else (timeouts, refused connections, a connection closed mid-handshake).
     */
    public static Optional<TlsRefusedException> refusal(Throwable failure, String hostPort, TlsSettings tls) {
        if (failure instanceof TApplicationException a && a.getType() == TApplicationException.UNSUPPORTED_CLIENT_TYPE) {
            // What a TLS coordinator answers a plaintext hello (its message names the flags to use).
            return Optional.of(new TlsRefusedException("the coordinator at " + hostPort + " refused a plaintext "
                    + "connection: " + a.getMessage(), a));
        }
        SSLException ssl = find(failure, SSLException.class);
        if (ssl == null || tls.isInsecure()) {
            return Optional.empty();
        }
        String at = "the coordinator at " + hostPort;
        String jdk = messageChain(ssl);
        String lower = jdk.toLowerCase(Locale.ROOT);
        if (lower.contains("unrecognized ssl message") || lower.contains("plaintext connection")) {
            return Optional.of(new TlsRefusedException(at + " does not speak TLS; if it runs with --insecure, pass "
                    + "--insecure (or DROVER_INSECURE=1)", ssl));
        }
        CertificateException cert = find(ssl, CertificateException.class);
        if (cert != null && cert.getMessage() != null && (cert.getMessage().startsWith("No subject alternative")
                || cert.getMessage().startsWith("No name matching"))) {
            return Optional.of(new TlsRefusedException(at + " presented a certificate that does not name the host you "
                    + "gave (" + cert.getMessage() + "); connect by a name or address its certificate carries", ssl));
        }
        if (find(ssl, CertPathValidatorException.class) != null || lower.contains("pkix path")
                || lower.contains("pinned ca")) {
            return Optional.of(new TlsRefusedException(at + " presented a certificate not signed by the cluster CA in "
                    + tls.caSource() + " (" + lastMessage(ssl) + "); check that --ca-file names this cluster's CA", ssl));
        }
        if (lower.contains("received fatal alert") && (lower.contains("certificate") || lower.contains("unknown_ca"))) {
            return Optional.of(new TlsRefusedException(at + " refused this side's certificate (" + ssl.getMessage()
                    + "): it must be issued by the coordinator's cluster CA, unexpired and not revoked", ssl));
        }
        if (ssl instanceof SSLHandshakeException && find(ssl, EOFException.class) == null
                && find(ssl, SocketException.class) == null && !lower.contains("terminated the handshake")) {
            return Optional.of(new TlsRefusedException("TLS with " + at + " failed: " + jdk, ssl));
        }
        return Optional.empty();
    }

    /** Whether {@code failure} is the peer closing the connection during the handshake. */
    public static boolean closedDuringHandshake(Throwable failure) {
        SSLException ssl = find(failure, SSLException.class);
        return ssl != null && (find(ssl, EOFException.class) != null
                || messageChain(ssl).toLowerCase(Locale.ROOT).contains("terminated the handshake"));
    }

    /** The first {@code type} in {@code t}'s cause chain, or null. */
    public static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String messageChain(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t.getMessage() != null) {
                out.append(out.length() == 0 ? "" : ": ").append(t.getMessage());
            }
        }
        return out.toString();
    }

    private static String lastMessage(Throwable t) {
        String last = t.getMessage();
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t.getMessage() != null) {
                last = t.getMessage();
            }
        }
        return last;
    }
}
