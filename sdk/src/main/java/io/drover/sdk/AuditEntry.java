package io.drover.sdk;

import java.time.Instant;

/**
 * One entry of the coordinators' audit log: a mutating call (submit, cancel, drain, schedule
 * changes, ...) or the refusal of one.
 *
 * @param at      when the leader decided
 * @param who     the token's subject, {@code agent:ID}, {@code insecure} (a coordinator without
 *                authentication) or {@code anonymous}
 * @param role    the caller's role, or {@code none}
 * @param action  the call, e.g. {@code cancelJob}
 * @param target  what it concerned, e.g. {@code job 42}
 * @param remote  the caller's address as the coordinator saw it
 * @param outcome {@code ok}, {@code denied: needs PERMISSION} or {@code failed: why}
 */
public record AuditEntry(Instant at, String who, String role, String action, String target, String remote,
                         String outcome) {
}
