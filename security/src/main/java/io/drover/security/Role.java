package io.drover.security;

import java.util.Locale;

/**
 * What a token lets its holder do. People and programs hold {@code ADMIN}, {@code OPERATOR},
 * {@code SUBMITTER} or {@code VIEWER} tokens; {@code AGENT} tokens are join tokens, good only for
 * an agent's first certificate.
 */
public enum Role {
    /** Everything. */
    ADMIN,
    /** Read everything; drain, forget and revoke agents; manage schedules; cancel any job. */
    OPERATOR,
    /** Read jobs; submit; cancel and read the logs of its own jobs. */
    SUBMITTER,
    /** Read only: jobs, agents, schedules, store sizes. No logs, no changes. */
    VIEWER,
    /** A join token: an agent trades it once for a certificate. */
    AGENT;

    /** Parses a role name, case-insensitively; the error lists the roles. */
    public static Role parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown role '" + name + "'; roles: admin, operator, submitter, viewer, agent");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
