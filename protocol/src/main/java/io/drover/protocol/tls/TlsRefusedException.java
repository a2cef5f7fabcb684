package io.drover.protocol.tls;

import io.drover.protocol.RequestRefusedException;

/**
 * A TLS handshake with a coordinator failed in a way retrying cannot mend: it does not speak TLS, its
 * certificate is not from the trusted CA or does not name the host, or it refused this side's
 * certificate. The message says which, and what to change.
 */
public class TlsRefusedException extends RequestRefusedException {
    public TlsRefusedException(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}
