package io.drover.security;

/** A token that does not verify; {@link #reason()} says which check failed, the message says it for a person. */
public final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Which check a token failed. */
    public enum Reason {
        /** Not of the form {@code drv1.<payload>.<mac>}, or a field out of range. */
        MALFORMED,
        /** Signed with another key, or altered. */
        BAD_SIGNATURE,
        /** Past its expiry. */
        EXPIRED,
        /** Signed by this cluster but with a role this version does not know. */
        UNKNOWN_ROLE
    }

    private final Reason reason;

    public InvalidTokenException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
