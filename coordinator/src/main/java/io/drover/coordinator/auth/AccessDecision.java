package io.drover.coordinator.auth;

/** The answer of {@link AccessPolicy#decide}: allowed, or denied naming the permission that is missing. */
public sealed interface AccessDecision {
    AccessDecision ALLOWED = new Allowed();

    boolean allowed();

    record Allowed() implements AccessDecision {
        @Override
        public boolean allowed() {
            return true;
        }
    }

    /** @param message who is refused what and what to do about it, for the caller and the audit log */
    record Denied(Permission missing, String message) implements AccessDecision {
        @Override
        public boolean allowed() {
            return false;
        }
    }
}
