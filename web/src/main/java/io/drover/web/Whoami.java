package io.drover.web;

import java.util.Optional;

/**
 * Tells who holds a bearer token: the coordinator implements it with its token verifier and role table; in
 * insecure mode every caller, with or without a token, is an admin. The gateway asks it before each request so
 * that a missing or refused token is a 401 (the coordinators would refuse the call anyway; this only makes the
 * answer precise and cheap).
 */
@FunctionalInterface
public interface Whoami {
    /**
     * @param token the {@code Authorization: Bearer} token, empty when the request has none
     * @throws NotAuthenticated when the token is missing (on a secure coordinator), malformed, forged or expired
     */
    Identity identify(Optional<String> token) throws NotAuthenticated;

    /** The caller has no identity; the message says why and what to do ("no token: send Authorization: Bearer ..."). */
    final class NotAuthenticated extends Exception {
        public NotAuthenticated(String message) {
            super(message);
        }
    }
}
