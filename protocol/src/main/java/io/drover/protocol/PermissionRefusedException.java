package io.drover.protocol;

import java.util.Optional;

/**
 * The leader refused a call because the caller may not make it (AccessDenied on the wire): no
 * credential, a bad one, or a role without the permission named. Retrying cannot help; a different
 * token can.
 */
public class PermissionRefusedException extends RequestRefusedException {
    private final String permission;

    /** @param permission the permission that is missing ("jobs.submit"), or null when the refusal names none */
    public PermissionRefusedException(String message, String permission) {
        super(message);
        this.permission = permission;
    }

    public Optional<String> permission() {
        return Optional.ofNullable(permission);
    }
}
