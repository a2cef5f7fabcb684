package io.drover.coordinator.web;

import io.drover.http.HttpProblem;
import java.util.Optional;
import java.util.Set;

/**
 * Who an HTTP caller is, from its bearer token, held to the same tokens and role table as the
 * coordinator's Thrift port ({@code TokenVerifier} + {@code AccessPolicy}). In insecure mode every
 * caller is an admin, as on the Thrift port.
 */
@FunctionalInterface
public interface Whoami {
    /**
     * A caller's identity.
     *
     * @param subject the token's subject, or {@code "insecure"}
     * @param role the role's label ({@code admin}, {@code operator}, {@code submitter}, {@code viewer}, {@code agent})
     * @param permissions the permission keys the role holds ({@code jobs.read}, {@code agents.manage}, ...)
     * @param insecure the coordinator checks no tokens
     */
    record Identity(String subject, String role, Set<String> permissions, boolean insecure) {
        public Identity {
            permissions = Set.copyOf(permissions);
        }

        public boolean may(String permission) {
            return permissions.contains(permission);
        }
    }

    /**
     * @param bearerToken the request's {@code Authorization: Bearer} token, if any
     * @throws HttpProblem 401 when a secure coordinator gets no token or one it refuses (the message says
     *     which and what to do; it never repeats the token)
     */
    Identity identify(Optional<String> bearerToken) throws HttpProblem;
}
