package io.drover.coordinator.auth;

import static io.drover.coordinator.auth.Permission.AGENTS_MANAGE;
import static io.drover.coordinator.auth.Permission.AGENTS_READ;
import static io.drover.coordinator.auth.Permission.AUDIT_READ;
import static io.drover.coordinator.auth.Permission.JOBS_CANCEL_OTHERS;
import static io.drover.coordinator.auth.Permission.JOBS_CANCEL_OWN;
import static io.drover.coordinator.auth.Permission.JOBS_READ;
import static io.drover.coordinator.auth.Permission.JOBS_SUBMIT;
import static io.drover.coordinator.auth.Permission.LOGS_READ_OTHERS;
import static io.drover.coordinator.auth.Permission.LOGS_READ_OWN;
import static io.drover.coordinator.auth.Permission.QUOTAS_MANAGE;
import static io.drover.coordinator.auth.Permission.SCHEDULES_MANAGE;
import static io.drover.coordinator.auth.Permission.SCHEDULES_READ;
import static io.drover.coordinator.auth.Permission.STORE_READ;

import io.drover.security.Role;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which role may do what: the table of {@code security/README.md}, the one place it is written in
 * code. Pure and immutable.
 *
 * <pre>
 * permission                          admin operator submitter viewer agent
 * jobs/agents/schedules/store .read     x      x        x        x
 * jobs.submit (and uploads)             x               x
 * jobs.cancel.own, logs.read.own        x      x        x
 * jobs.cancel.others, logs.read.others  x      x
 * agents.manage, schedules.manage       x      x
 * quotas.manage                         x      x
 * audit.read                            x      x
 * </pre>
 * An agent (join) token grants no client call.
 */
public final class AccessPolicy {
    /** Roles people hold, least privileged first: the order in which refusals suggest one. */
    private static final List<Role> LEAST_FIRST = List.of(Role.VIEWER, Role.SUBMITTER, Role.OPERATOR, Role.ADMIN);

    private final Map<Role, Set<Permission>> grants;

    private AccessPolicy(Map<Role, Set<Permission>> grants) {
        this.grants = grants;
    }

    /** The design's table. */
    public static AccessPolicy standard() {
        Set<Permission> reads = EnumSet.of(JOBS_READ, AGENTS_READ, SCHEDULES_READ, STORE_READ);
        Set<Permission> viewer = EnumSet.copyOf(reads);
        Set<Permission> submitter = EnumSet.copyOf(reads);
        submitter.addAll(EnumSet.of(JOBS_SUBMIT, JOBS_CANCEL_OWN, LOGS_READ_OWN));
        Set<Permission> operator = EnumSet.copyOf(reads);
        operator.addAll(EnumSet.of(JOBS_CANCEL_OWN, LOGS_READ_OWN, JOBS_CANCEL_OTHERS, LOGS_READ_OTHERS,
                AGENTS_MANAGE, SCHEDULES_MANAGE, AUDIT_READ, QUOTAS_MANAGE));
        Map<Role, Set<Permission>> grants = new EnumMap<>(Role.class);
        grants.put(Role.ADMIN, Set.copyOf(EnumSet.allOf(Permission.class)));
        grants.put(Role.OPERATOR, Set.copyOf(operator));
        grants.put(Role.SUBMITTER, Set.copyOf(submitter));
        grants.put(Role.VIEWER, Set.copyOf(viewer));
        grants.put(Role.AGENT, Set.of());
        return new AccessPolicy(Map.copyOf(grants));
    }

    public boolean grants(Role role, Permission permission) {
        return grants.getOrDefault(role, Set.of()).contains(permission);
    }

    /** The permissions of {@code role}. */
    public Set<Permission> permissions(Role role) {
        return grants.getOrDefault(role, Set.of());
    }

    /** Whether {@code principal}, as it stands now, may do what {@code permission} covers. */
    public AccessDecision decide(Principal principal, Permission permission) {
        if (principal.role().filter(r -> grants(r, permission)).isPresent()) {
            return AccessDecision.ALLOWED;
        }
        return deny(principal, permission, null);
    }

    /**
     * A refusal for lack of {@code permission} whatever the principal holds, for checks that depend
     * on more than the role (whose job it is): {@code context} says why it applies ("job 12 belongs
     * to 'alice'"); null for none.
     */
    public AccessDecision.Denied deny(Principal principal, Permission permission, String context) {
        return new AccessDecision.Denied(permission, refusal(principal, permission, context));
    }

    /** The least privileged role that has {@code permission}. */
    public Optional<Role> leastRoleWith(Permission permission) {
        return LEAST_FIRST.stream().filter(r -> grants(r, permission)).findFirst();
    }

    /**
     * "token of 'bob' (viewer) may not submit jobs or upload artifacts: needs jobs.submit; ask an
     * admin for a submitter token".
     */
    private String refusal(Principal principal, Permission permission, String context) {
        String role = leastRoleWith(permission).map(Role::label).orElse("admin");
        String fix = principal.anonymous()
                ? "connect with a " + role + " token (--token, --token-file or DROVER_TOKEN)"
                : "ask an admin for " + (role.equals("admin") || role.equals("operator") ? "an " : "a ") + role + " token";
        return principal.describe() + " may not " + permission.action() + (context == null ? "" : " (" + context + ")")
                + ": needs " + permission.key() + "; " + fix;
    }
}
