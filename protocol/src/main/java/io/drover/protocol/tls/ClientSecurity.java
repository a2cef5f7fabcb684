package io.drover.protocol.tls;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a client or agent secures its connections to coordinators: the TLS settings, read afresh for
 * every new socket (an agent that renewed its certificate presents the new one on its next
 * connection), and the token sent in every hello (null for none; agents with a certificate need none).
 * The supplier returns the same instance while nothing changes: a connection that finds another one
 * before a call reconnects with it, so a renewed certificate replaces the old one on open connections too.
 */
public record ClientSecurity(Supplier<TlsSettings> tls, Supplier<String> token) {
    public ClientSecurity {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(token, "token");
    }

    /** Plaintext, no token: what a coordinator run with --insecure expects. */
    public static ClientSecurity insecure() {
        return new ClientSecurity(TlsSettings::insecure, () -> null);
    }

    /** Fixed settings and token ({@code token} may be null). */
    public static ClientSecurity of(TlsSettings tls, String token) {
        Objects.requireNonNull(tls, "tls");
        return new ClientSecurity(() -> tls, () -> token);
    }

    /** The settings for the next socket. */
    public TlsSettings currentTls() {
        TlsSettings t = tls.get();
        if (t == null) {
            throw new IllegalStateException("the TLS settings supplier returned null");
        }
        return t;
    }
}
