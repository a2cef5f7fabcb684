package io.drover.sdk;

import java.util.Optional;

/**
 * The coordinator refused the call because this client may not make it: it sent no token, a token
 * the coordinator does not accept (expired, malformed), or one whose role lacks the permission named
 * (for example {@code jobs.cancel.others}). The message says who was refused what and what to do.
 * Never retried: only a different token helps.
 */
public class AccessDeniedException extends DroverException {
    private final String permission;

    public AccessDeniedException(String message, String permission) {
        super(message);
        this.permission = permission;
    }

    /** The missing permission, e.g. {@code "jobs.submit"}; empty when the refusal names none. */
    public Optional<String> permission() {
        return Optional.ofNullable(permission);
    }
}
