package io.drover.coordinator.auth;

import java.util.Objects;

/**
 * One mutating client call as the audit log keeps it, or the refusal of one.
 *
 * @param atMs    when the coordinator decided (epoch milliseconds of its clock)
 * @param who     the token's subject, "agent:ID", "insecure" or "anonymous"
 * @param role    the caller's role label, or "none"
 * @param action  the call: "submit", "cancelJob", "drainAgent", ...
 * @param target  what it was about: a job id or name, an agent id, a schedule name, an artifact
 * @param remote  the caller's address
 * @param outcome "ok", "denied: ..." or "failed: ..."
 */
public record AuditRecord(long atMs, String who, String role, String action, String target, String remote,
                          String outcome) {
    /** Longest any text field is kept; longer text (an error message) is cut, marked with "...". */
    public static final int MAX_FIELD_CHARS = 1_000;

    public AuditRecord {
        who = cut(Objects.requireNonNull(who, "who"));
        role = cut(Objects.requireNonNull(role, "role"));
        action = cut(Objects.requireNonNull(action, "action"));
        target = cut(target == null ? "" : target);
        remote = cut(remote == null ? "?" : remote);
        outcome = cut(Objects.requireNonNull(outcome, "outcome"));
    }

    private static String cut(String s) {
        return s.length() <= MAX_FIELD_CHARS ? s : s.substring(0, MAX_FIELD_CHARS - 3) + "...";
    }
}
