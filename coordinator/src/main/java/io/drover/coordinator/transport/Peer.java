package io.drover.coordinator.transport;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Who is at the other end of one connection, as the transport knows it: the remote address, whether
 * the connection is TLS, and the certificate chain the peer presented (empty when it presented none,
 * which clients and joining agents do). Handlers decide what the peer may do from this.
 */
public record Peer(InetAddress remote, boolean tls, List<X509Certificate> certificates) {
    public Peer {
        certificates = List.copyOf(certificates);
    }

    public static Peer plaintext(InetAddress remote) {
        return new Peer(remote, false, List.of());
    }

    /** The peer's own certificate, when it presented one that the cluster CA signed. */
    public Optional<X509Certificate> certificate() {
        return certificates.isEmpty() ? Optional.empty() : Optional.of(certificates.get(0));
    }

    /** The remote address for logs and audit ("?" when the socket had none). */
    public String address() {
        return remote == null ? "?" : remote.getHostAddress();
    }
}
