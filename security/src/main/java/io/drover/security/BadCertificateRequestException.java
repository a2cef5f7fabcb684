package io.drover.security;

/** A signing request the CA refuses: unreadable, badly signed, with a key or name it does not accept. */
public final class BadCertificateRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadCertificateRequestException(String message) {
        super(message);
    }

    public BadCertificateRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
