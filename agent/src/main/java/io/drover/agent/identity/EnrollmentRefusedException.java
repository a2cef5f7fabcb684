package io.drover.agent.identity;

/**
 * The coordinator refused a join or renewal (token expired or used up, id held by another
 * certificate, certificate revoked) or the CA it presented is not the pinned one; the message says
 * what to do. Retrying does not help.
 */
public final class EnrollmentRefusedException extends Exception {
    public EnrollmentRefusedException(String message) {
        super(message);
    }
}
