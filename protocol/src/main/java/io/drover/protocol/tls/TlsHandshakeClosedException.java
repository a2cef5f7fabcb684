package io.drover.protocol.tls;

import java.io.IOException;

/**
 * The coordinator closed the connection during the TLS handshake without a word: a coordinator of a
 * release without TLS, one run with --insecure, or one shedding connections. Worth retrying, so it
 * travels as the cause of a transport failure; its message carries the hint for the final error.
 */
public class TlsHandshakeClosedException extends IOException {
    public TlsHandshakeClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
