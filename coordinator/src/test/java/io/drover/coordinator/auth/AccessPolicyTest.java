package io.drover.coordinator.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.security.Role;
import io.drover.security.TokenClaims;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The role table of security/README.md, cell by cell, and what refusals say. */
class AccessPolicyTest {
    private final AccessPolicy policy = AccessPolicy.standard();

    /** Rows: permission; columns: admin, operator, submitter, viewer, agent. */
    private static final String TABLE = """
            jobs.read           x x x x .
            jobs.submit         x . x . .
            jobs.cancel.own     x x x . .
            jobs.cancel.others  x x . . .
            logs.read.own       x x x . .
            logs.read.others    x x . . .
            agents.read         x x x x .
            agents.manage       x x . . .
            schedules.read      x x x x .
            schedules.manage    x x . . .
            audit.read          x x . . .
            store.read          x x x x .
            quotas.manage       x x . . .
            """;

    @Test
    void everyCellOfTheTable() {
        Role[] columns = {Role.ADMIN, Role.OPERATOR, Role.SUBMITTER, Role.VIEWER, Role.AGENT};
        Set<Permission> seen = EnumSet.noneOf(Permission.class);
        for (String line : TABLE.strip().split("\n")) {
            String[] cells = line.trim().split("\\s+");
            Permission p = Arrays.stream(Permission.values()).filter(x -> x.key().equals(cells[0])).findFirst().orElseThrow();
            seen.add(p);
            for (int i = 0; i < columns.length; i++) {
                assertThat(policy.grants(columns[i], p)).as("%s for %s", p, columns[i]).isEqualTo(cells[i + 1].equals("x"));
            }
        }
        assertThat(seen).as("every permission has a row").containsExactlyInAnyOrder(Permission.values());
    }

    @Test
    void permissionKeysAreUniqueAndDotted() {
        assertThat(Arrays.stream(Permission.values()).map(Permission::key).collect(Collectors.toSet()))
                .hasSize(Permission.values().length).allMatch(k -> k.matches("[a-z]+(\\.[a-z]+)+"));
    }

    @Test
    void aViewerSubmittingIsToldWhatIsMissingAndWhatToDo() {
        AccessDecision d = policy.decide(token(Role.VIEWER, "bob"), Permission.JOBS_SUBMIT);
        assertThat(d).isInstanceOfSatisfying(AccessDecision.Denied.class, denied -> {
            assertThat(denied.missing()).isEqualTo(Permission.JOBS_SUBMIT);
            assertThat(denied.message()).isEqualTo("token of 'bob' (viewer) may not submit jobs or upload artifacts: "
                    + "needs jobs.submit; ask an admin for a submitter token");
        });
    }

    @Test
    void aSubmitterCancellingOthersJobsIsPointedAtAnOperatorToken() {
        AccessDecision.Denied d = policy.deny(token(Role.SUBMITTER, "bob"), Permission.JOBS_CANCEL_OTHERS,
                "job j-1 belongs to 'alice'");
        assertThat(d.message()).isEqualTo("token of 'bob' (submitter) may not cancel other users' jobs (job j-1 belongs "
                + "to 'alice'): needs jobs.cancel.others; ask an admin for an operator token");
    }

    @Test
    void anAnonymousCallerIsRefusedEverythingWithItsReason() {
        Principal nobody = Principal.anonymous("no token");
        for (Permission p : Permission.values()) {
            assertThat(policy.decide(nobody, p).allowed()).as("%s", p).isFalse();
        }
        assertThat(((AccessDecision.Denied) policy.decide(nobody, Permission.JOBS_READ)).message())
                .isEqualTo("a caller without a valid token (no token) may not read jobs: needs jobs.read; "
                        + "connect with a viewer token (--token, --token-file or DROVER_TOKEN)");
    }

    @Test
    void anInsecureCallerIsAnAdmin() {
        for (Permission p : Permission.values()) {
            assertThat(policy.decide(Principal.insecure(), p).allowed()).as("%s", p).isTrue();
        }
    }

    @Test
    void aTokenLapsesIntoAnAnonymousPrincipalAtItsExpiry() {
        Instant expiry = Instant.parse("2026-12-07T01:00:00Z");
        Principal p = Principal.token(new TokenClaims("t1", Role.ADMIN, "root", Optional.empty(), expiry, 0));
        assertThat(p.at(expiry.minusMillis(1))).isSameAs(p);
        Principal lapsed = p.at(expiry);
        assertThat(lapsed.anonymous()).isTrue();
        assertThat(lapsed.anonymousReason()).contains("token of 'root' expired at 2026-12-07T01:00:00Z");
        assertThat(policy.decide(lapsed, Permission.JOBS_READ).allowed()).isFalse();
    }

    @Test
    void anAgentIsNamedAsSuchInTheAuditLog() {
        assertThat(Principal.agent("edge-1").who()).isEqualTo("agent:edge-1");
        assertThat(Principal.agent("edge-1").roleLabel()).isEqualTo("agent");
        assertThat(Principal.anonymous("no token").roleLabel()).isEqualTo("none");
    }

    private static Principal token(Role role, String subject) {
        return Principal.token(new TokenClaims("id-" + subject, role, subject, Optional.empty(),
                Instant.parse("2100-01-01T00:00:00Z"), 0));
    }
}
