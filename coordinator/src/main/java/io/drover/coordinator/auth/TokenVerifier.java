package io.drover.coordinator.auth;

import io.drover.security.TokenClaims;

/**
 * Turns the token a client sent in {@code hello} into what it claims, or says why it cannot. The
 * coordinator's wiring backs it with the security module's {@code Tokens} and the secrets
 * directory's key.
 */
@FunctionalInterface
public interface TokenVerifier {
    /** @throws Rejected saying why (malformed, bad signature, expired at T), for the caller to read */
    TokenClaims verify(String token) throws Rejected;

    /** A token the coordinator does not accept; the message says why. */
    final class Rejected extends Exception {
        public Rejected(String message) {
            super(message);
        }

        public Rejected(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
