package io.drover.sdk;

/**
 * A TLS connection to a coordinator failed in a way retrying cannot mend: it does not speak TLS (or
 * only TLS), its certificate is not from the trusted CA, or it refused this client. The message says
 * which and what to change (--ca-file, --insecure).
 */
public class TlsConnectionException extends DroverException {
    /**
     * A failure with its message and cause.
     *
     * @param message what went wrong and what to do
     * @param cause the underlying failure
     */
    public TlsConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
