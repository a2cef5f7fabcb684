package io.drover.web;

import io.drover.http.HttpProblem;
import java.util.Optional;

/**
 * Tells who holds a bearer token: the coordinator implements it with its token verifier and role table; in
 * insecure mode every caller, with or without a token, is an admin. The gateway asks it before each request so
 * that a missing or refused token is a 401 (the coordinators would refuse the call anyway; this only makes the
 * answer precise and cheap, and keeps callers without a valid token from opening SDK clients).
 */
@FunctionalInterface
public interface Whoami {
    /**
     * @param token the {@code Authorization: Bearer} token, empty when the request has none
     * @throws HttpProblem 401 when the token is missing (on a secure coordinator), malformed, forged or expired;
     *     the message says which and what to do, and never repeats the token
     */
    Identity identify(Optional<String> token) throws HttpProblem;
}
