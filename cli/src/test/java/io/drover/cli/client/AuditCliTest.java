package io.drover.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.cli.DroverCli;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.auth.TokenVerifier;
import io.drover.sdk.AuditEntry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code drover audit} and the permission-denied exit code, against real coordinators: one without
 * authentication (every caller an admin, named "insecure" in the log) and one that requires tokens,
 * which this CLI does not send yet, so every call is refused.
 */
class AuditCliTest {
    private TestingServer zk;
    private final List<CoordinatorServer> coordinators = new ArrayList<>();
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
    }

    @AfterEach
    void stop() throws Exception {
        coordinators.forEach(CoordinatorServer::close);
        zk.close();
    }

    @Test
    void aSubmitShowsUpInTheAuditTableOfAnInsecureCluster() {
        CoordinatorServer c = coordinator(null);
        assertThat(drover(c, "submit", "--command", "/bin/true", "--name", "audited")).as(err.toString()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> drover(c, "audit", "--since", "10m") == 0
                && out.toString().contains("submit"));
        String table = out.toString();
        assertThat(table.lines().findFirst().orElseThrow())
                .matches("TIME +WHO +ROLE +ACTION +TARGET +REMOTE +OUTCOME");
        assertThat(table).containsPattern("insecure +admin +submit +\\S+ 'audited' owner \\S+ +127\\.0\\.0\\.1 +ok");
    }

    @Test
    void aCallTheTokenDoesNotAllowExitsSixAtOnceWithWhatToDo() {
        CoordinatorServer c = coordinator(token -> {
            throw new TokenVerifier.Rejected("no token is accepted in this test");
        });
        long started = System.nanoTime();
        int code = drover(c, "jobs");
        assertThat(code).as(err.toString()).isEqualTo(ClientCommand.PERMISSION_DENIED).isEqualTo(6);
        assertThat(err.toString()).startsWith("drover: a caller without a valid token (no token) may not read jobs: "
                + "needs jobs.read; connect with a viewer token");
        assertThat((System.nanoTime() - started) / 1_000_000).as("not retried").isLessThan(5_000);
        assertThat(drover(c, "audit")).isEqualTo(6);
        assertThat(err.toString()).contains("needs audit.read");
    }

    @Test
    void theTableEscapesWhatUsersWrote() {
        String table = AuditCommand.render(List.of(new AuditEntry(Instant.parse("2026-12-07T09:00:00.123Z"), "eve\u001b[2J",
                "submitter", "submit", "job 'x\nFORGED ROW'", "10.0.0.7", "ok")));
        assertThat(table.lines()).hasSize(2);
        assertThat(table).contains("2026-12-07 09:00:00.123Z").contains("eve\\e[2J").contains("job 'x\\nFORGED ROW'");
    }

    @Test
    void sinceTakesAnAgeOrATime() {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");
        assertThat(AuditCommand.since("1h", now)).isEqualTo(Instant.parse("2026-12-07T09:00:00Z"));
        assertThat(AuditCommand.since("1d2h", now)).isEqualTo(Instant.parse("2026-12-06T08:00:00Z"));
        assertThat(AuditCommand.since("2026-12-01T00:00:00Z", now)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThatThrownBy(() -> AuditCommand.since("yesterday", now)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--since takes an age (30m, 1h, 2d) or a time");
        assertThatThrownBy(() -> AuditCommand.since("2026-13-01T00:00:00Z", now))
                .hasMessageContaining("is not a time like 2026-12-07T09:00:00Z");
    }

    private CoordinatorServer coordinator(TokenVerifier verifier) {
        CoordinatorServer c = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0)
                .withSessionTimeout(Duration.ofSeconds(3)), Clock.systemUTC());
        if (verifier != null) {
            c.requireTokens(verifier);
        }
        coordinators.add(c.start());
        await().atMost(Duration.ofSeconds(20)).until(c::isLeader);
        return c;
    }

    private int drover(CoordinatorServer c, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = DroverCli.commandLine();
        cl.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--coordinators=" + c.endpoint());
        all.add("--retry-deadline=20s");
        return cl.execute(all.toArray(String[]::new));
    }
}
