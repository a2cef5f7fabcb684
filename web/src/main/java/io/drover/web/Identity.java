package io.drover.web;

import java.util.Objects;
import java.util.Set;

/**
 * Who a caller of the HTTP API is, as the coordinator's token check says.
 *
 * @param subject     the token's subject (a job's owner), or {@code insecure} on a coordinator without tokens
 * @param role        {@code admin}, {@code operator}, {@code submitter} or {@code viewer}
 * @param permissions the permission keys the role grants ({@code jobs.read}, {@code agents.manage}, ...), so a
 *                    page shows only the actions the caller may take
 * @param secure      false on a coordinator run with --insecure (everyone is an admin there)
 */
public record Identity(String subject, String role, Set<String> permissions, boolean secure) {
    public Identity {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(role, "role");
        permissions = Set.copyOf(permissions);
    }
}
