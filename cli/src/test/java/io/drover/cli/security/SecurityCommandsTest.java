package io.drover.cli.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.DroverCli;
import io.drover.security.ClusterCa;
import io.drover.security.Role;
import io.drover.security.SecretsDir;
import io.drover.security.TokenClaims;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code drover ca init|show} and {@code drover token create} through picocli, on real files. */
class SecurityCommandsTest {
    @TempDir
    Path temp;
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int drover(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = DroverCli.commandLine();
        cl.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void caInitCreatesTheDirectoryAndSaysWhatItMade() throws Exception {
        Path dir = temp.resolve("secrets");

        assertThat(drover("ca", "init", "--dir", dir.toString(), "--name", "prod")).as(err.toString()).isZero();

        SecretsDir secrets = SecretsDir.load(dir);
        String fingerprint = ClusterCa.fingerprint(secrets.ca().certificate());
        assertThat(out.toString())
                .contains("created " + dir.toAbsolutePath())
                .contains("ca.pem", "ca.key", "token.key", "secrets.key", "zookeeper.digest", "admin.token")
                .contains("CA: CN=prod Drover CA,O=Drover")
                .contains("CA fingerprint: " + fingerprint)
                .contains("admin token: " + dir.resolve("admin.token").toAbsolutePath());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        String adminToken = Files.readString(dir.resolve("admin.token")).strip();
        assertThat(out.toString()).doesNotContain(adminToken);
        assertThat(secrets.tokens().verify(adminToken).role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void caInitRefusesADirectoryInUse() throws Exception {
        Path dir = temp.resolve("secrets");
        drover("ca", "init", "--dir", dir.toString());
        byte[] before = Files.readAllBytes(dir.resolve("ca.key"));

        assertThat(drover("ca", "init", "--dir", dir.toString())).isEqualTo(1);

        assertThat(err.toString()).startsWith("drover: " + dir + " is not empty; 'drover ca init' never overwrites");
        assertThat(Files.readAllBytes(dir.resolve("ca.key"))).isEqualTo(before);
    }

    @Test
    void caShowPrintsSubjectExpiryAndFingerprint() throws Exception {
        Path dir = temp.resolve("secrets");
        drover("ca", "init", "--dir", dir.toString(), "--name", "lab");
        String fingerprint = ClusterCa.fingerprint(SecretsDir.load(dir).ca().certificate());

        assertThat(drover("ca", "show", "--dir", dir.toString())).isZero();

        assertThat(out.toString()).contains("subject:     CN=lab Drover CA,O=Drover")
                .containsPattern("expires: +\\S+ \\(in 36\\d\\d days\\)")
                .contains("fingerprint: " + fingerprint);
        assertThat(drover("ca", "show", "--dir", temp.resolve("none").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no CA certificate here");
    }

    @Test
    void anAgentTokenDefaultsToOneUseForAnHour() throws Exception {
        Path dir = temp.resolve("secrets");
        drover("ca", "init", "--dir", dir.toString());

        Instant before = Instant.now();
        assertThat(drover("token", "create", "--secrets-dir", dir.toString(), "--role", "agent", "--pool", "gpu"))
                .as(err.toString()).isZero();

        String token = out.toString();
        assertThat(token).matches("drv1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\n");
        TokenClaims claims = SecretsDir.load(dir).tokens().verify(token.strip());
        assertThat(claims.role()).isEqualTo(Role.AGENT);
        assertThat(claims.subject()).isEqualTo("agent");
        assertThat(claims.pool()).contains("gpu");
        assertThat(claims.maxUses()).isEqualTo(1);
        assertThat(claims.expiresAt()).isBetween(before.plus(Duration.ofHours(1)).minusSeconds(1),
                Instant.now().plus(Duration.ofHours(1)));
        assertThat(err.toString()).startsWith("agent token for agent (pool gpu), expires ").endsWith(", 1 use\n");
    }

    @Test
    void anAccessTokenNeedsASubjectAndDefaultsToThirtyDaysUnbounded() throws Exception {
        Path dir = temp.resolve("secrets");
        drover("ca", "init", "--dir", dir.toString());

        assertThat(drover("token", "create", "--secrets-dir", dir.toString(), "--role", "submitter")).isEqualTo(2);
        assertThat(err.toString()).startsWith("drover: --subject is required for a submitter token");
        assertThat(out.toString()).isEmpty();
        assertThat(drover("token", "create", "--secrets-dir", dir.toString(), "--role", "admin")).isEqualTo(2);
        assertThat(err.toString()).startsWith("drover: --subject is required for an admin token");

        assertThat(drover("token", "create", "--secrets-dir", dir.toString(), "--role", "Submitter", "--subject", "alice")).isZero();
        TokenClaims claims = SecretsDir.load(dir).tokens().verify(out.toString().strip());
        assertThat(claims.role()).isEqualTo(Role.SUBMITTER);
        assertThat(claims.subject()).isEqualTo("alice");
        assertThat(claims.maxUses()).isZero();
        assertThat(claims.expiresAt()).isAfter(Instant.now().plus(Duration.ofDays(30)).minusSeconds(5));

        assertThat(drover("token", "create", "--secrets-dir", dir.toString(), "--role", "viewer", "--subject", "bob",
                "--ttl", "2h", "--uses", "5")).isZero();
        claims = SecretsDir.load(dir).tokens().verify(out.toString().strip());
        assertThat(claims.maxUses()).isEqualTo(5);
        assertThat(claims.expiresAt()).isBefore(Instant.now().plus(Duration.ofHours(2)).plusSeconds(1));
    }

    @Test
    void badTokenRequestsAreUsageErrors() throws Exception {
        Path dir = temp.resolve("secrets");
        drover("ca", "init", "--dir", dir.toString());
        String d = dir.toString();

        assertThat(drover("token", "create", "--secrets-dir", d, "--role", "root", "--subject", "x")).isEqualTo(2);
        assertThat(err.toString()).startsWith("drover: unknown role 'root'; roles: admin, operator, submitter, viewer, agent");
        assertThat(drover("token", "create", "--secrets-dir", d, "--role", "admin", "--subject", "x", "--pool", "p")).isEqualTo(2);
        assertThat(err.toString()).startsWith("drover: --pool applies to agent tokens only");
        assertThat(drover("token", "create", "--secrets-dir", d, "--role", "agent", "--uses", "-1")).isEqualTo(2);
        assertThat(drover("token", "create", "--secrets-dir", d, "--role", "admin", "--subject", "a b")).isEqualTo(2);
        assertThat(err.toString()).contains("a token subject is 1-128 letters");
        assertThat(drover("token", "create", "--secrets-dir", d, "--role", "agent", "--ttl", "soon")).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aTokenIsNotMadeFromAnOpenSecretsDirectory() throws Exception {
        Path dir = temp.resolve("secrets");
        drover("ca", "init", "--dir", dir.toString());
        Files.setPosixFilePermissions(dir.resolve("token.key"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(drover("token", "create", "--secrets-dir", dir.toString(), "--role", "agent")).isEqualTo(1);

        assertThat(err.toString()).contains("run 'chmod 600 " + dir.resolve("token.key") + "'");
        assertThat(out.toString()).isEmpty();
    }
}
