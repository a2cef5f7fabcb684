package io.drover.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsDirTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
    @TempDir
    Path temp;

    @Test
    void initWritesTheReadmesFilesAndLoadReadsThemBack() throws Exception {
        Path dir = temp.resolve("secrets");
        SecretsDir made = SecretsDir.init(dir, "prod", clock);

        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("ca.pem", "ca.key", "token.key", "secrets.key", "zookeeper.digest", "admin.token");
        }
        assertThat(java.util.Base64.getDecoder().decode(Files.readString(dir.resolve("token.key")).trim())).hasSize(32);
        assertThat(java.util.Base64.getDecoder().decode(Files.readString(dir.resolve("secrets.key")).trim())).hasSize(32);
        assertThat(Files.readString(dir.resolve("ca.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(made.zookeeperDigest()).matches("drover:[A-Za-z0-9_-]{32}");

        SecretsDir loaded = SecretsDir.load(dir, clock);
        assertThat(loaded.ca().certificate()).isEqualTo(made.ca().certificate());
        assertThat(loaded.tokenKey()).isEqualTo(made.tokenKey());
        assertThat(loaded.zookeeperDigest()).isEqualTo(made.zookeeperDigest());
        assertThat(loaded.caCertificateFile()).isEqualTo(dir.resolve("ca.pem"));
        assertThat(loaded.secretBox().open(made.secretBox().seal("s"))).isEqualTo("s");
        assertThat(Pem.decodeCertificate(Files.readString(loaded.caCertificateFile()))).isEqualTo(made.ca().certificate());
    }

    @Test
    void theAdminTokenIsAnAdminsForAYear() throws Exception {
        SecretsDir dir = SecretsDir.init(temp.resolve("s"), "prod", clock);
        String token = Files.readString(dir.adminTokenFile(), StandardCharsets.US_ASCII).strip();

        TokenClaims claims = dir.tokens().verify(token);
        assertThat(claims.role()).isEqualTo(Role.ADMIN);
        assertThat(claims.subject()).isEqualTo("admin");
        assertThat(claims.maxUses()).isZero();
        assertThat(claims.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(365)));
    }

    @Test
    void theLoadedCaSignsWhatTheLoadedTokensAccept() throws Exception {
        SecretsDir.init(temp.resolve("s"), "prod", clock);
        SecretsDir loaded = SecretsDir.load(temp.resolve("s"), clock);

        String token = loaded.tokens().create(Role.AGENT, "agent", Optional.empty(), Duration.ofHours(1), 1);
        assertThat(SecretsDir.load(temp.resolve("s"), clock).tokens().verify(token).role()).isEqualTo(Role.AGENT);
        var keys = AgentKeys.generateKeyPair();
        loaded.ca().verifyIssued(loaded.ca().signAgent(AgentKeys.certificateRequest(keys, "a"), "a", "p", Duration.ofHours(1)));
    }

    @Test
    void anExistingEmptyDirectoryIsUsedAndMadePrivate() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("s"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        SecretsDir.init(dir, "prod", clock);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void aNonEmptyDirectoryIsRefusedAndLeftAlone() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("s"));
        Files.writeString(dir.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> SecretsDir.init(dir, "prod", clock)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not empty; 'drover ca init' never overwrites a cluster's secrets");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("notes.txt"));
        }
    }

    @Test
    void aBadClusterNameTouchesNothing() {
        assertThatThrownBy(() -> SecretsDir.init(temp.resolve("s"), "no spaces", clock)).isInstanceOf(IllegalArgumentException.class);
        assertThat(temp.resolve("s")).doesNotExist();
    }

    @Test
    void theTokenKeyAloneMakesTokensTheDirectoryAcceptsAndIsCheckedTheSameWay() throws Exception {
        Path dir = temp.resolve("s");
        SecretsDir.init(dir, "prod", clock);
        String token = SecretsDir.loadTokens(dir, clock).create(Role.AGENT, "dev-agent", Optional.empty(), Duration.ofMinutes(10), 1);
        assertThat(SecretsDir.load(dir, clock).tokens().verify(token).role()).isEqualTo(Role.AGENT);
        Files.delete(dir.resolve("ca.key")); // not read: an agent making a development join token needs only the token key
        assertThat(SecretsDir.loadTokens(dir, clock).verify(token).subject()).isEqualTo("dev-agent");
        Files.setPosixFilePermissions(dir.resolve("token.key"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SecretsDir.loadTokens(dir, clock)).hasMessageContaining("chmod 600 " + dir.resolve("token.key"));
        Files.setPosixFilePermissions(dir.resolve("token.key"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("token.key"), "altered\n");
        assertThatThrownBy(() -> SecretsDir.loadTokens(dir, clock)).hasMessageContaining("was altered");
        assertThatThrownBy(() -> SecretsDir.loadTokens(temp.resolve("none"), clock)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aKeyFileOthersCanReadIsRefusedNamingTheChmod() throws Exception {
        Path dir = temp.resolve("s");
        SecretsDir.init(dir, "prod", clock);
        Files.setPosixFilePermissions(dir.resolve("token.key"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> SecretsDir.load(dir, clock)).isInstanceOf(IOException.class)
                .hasMessage(dir.resolve("token.key") + " is open to group or others (mode rw-r--r--); it holds secrets: run 'chmod 600 "
                        + dir.resolve("token.key") + "'");
        Files.setPosixFilePermissions(dir.resolve("token.key"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir.resolve("ca.key"), PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> SecretsDir.load(dir, clock)).hasMessageContaining("chmod 600 " + dir.resolve("ca.key"));
        Files.setPosixFilePermissions(dir.resolve("ca.key"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        assertThatThrownBy(() -> SecretsDir.load(dir, clock)).hasMessageContaining("chmod 700 " + dir);
    }

    @Test
    void theCaCertificateMayBePublic() throws Exception {
        Path dir = temp.resolve("s");
        SecretsDir.init(dir, "prod", clock);
        Files.setPosixFilePermissions(dir.resolve("ca.pem"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(SecretsDir.load(dir, clock).ca()).isNotNull();
    }

    @Test
    void missingOrAlteredFilesAreNamed() throws Exception {
        Path dir = temp.resolve("s");
        assertThatThrownBy(() -> SecretsDir.load(dir, clock)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("drover ca init --dir " + dir);
        SecretsDir.init(dir, "prod", clock);
        Files.delete(dir.resolve("admin.token"));
        assertThat(SecretsDir.load(dir, clock)).isNotNull();

        Files.writeString(dir.resolve("secrets.key"), java.util.Base64.getEncoder().encodeToString(new byte[31]));
        assertThatThrownBy(() -> SecretsDir.load(dir, clock)).hasMessageContaining("secrets.key does not hold 32 base64-encoded bytes");
        Files.delete(dir.resolve("secrets.key"));
        assertThatThrownBy(() -> SecretsDir.load(dir, clock)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("secrets.key");
    }

    @Test
    void aCaKeyFromAnotherClusterIsRefused() throws Exception {
        SecretsDir.init(temp.resolve("a"), "a", clock);
        SecretsDir.init(temp.resolve("b"), "b", clock);
        Files.copy(temp.resolve("b/ca.key"), temp.resolve("a/ca.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> SecretsDir.load(temp.resolve("a"), clock)).isInstanceOf(IOException.class)
                .hasMessageContaining("the CA key does not belong to the CA certificate");
    }
}
