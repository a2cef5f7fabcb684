package io.drover.sdk;

import java.util.Optional;

/**
 * The coordinator refused the call because this client may not make it: it sent no token, a token
 * the coordinator does not accept (expired, malformed), or one whose role lacks the permission named
 * (for example {@code jobs.cancel.others}). The message says who was refused what and what to do.
 * Never retried: only a different token helps.
 */
public class AccessDeniedException extends DroverException {
    /** The missing permission, or null. */
    private final String permission;

    /**
     * A refusal for lack of a permission.
     *
     * @param message what went wrong and what to do
     * @param permission the missing permission, or null
     */
    public AccessDeniedException(String message, String permission) {
        super(message);
        this.permission = permission;
    }

    /**
     * The missing permission, e.g. {@code "jobs.submit"}; empty when the refusal names none.
     *
     * @return the permission, or empty
     */
    public Optional<String> permission() {
        return Optional.ofNullable(permission);
    }
}
