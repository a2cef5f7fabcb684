package io.drover.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.testkit.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity directory on a real file system: modes, validity, and a crash halfway through a renewal. */
class IdentityStoreTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final TestCluster cluster = new TestCluster(clock, Duration.ofHours(24));
    @TempDir
    Path workDir;

    private StoredIdentity joined(IdentityStore store) throws Exception {
        KeyMaker.NewKey key = TestCluster.keys().newKey("a1");
        return store.save(key.privateKeyPem(), cluster.join("t", "a1", key.csrPem()));
    }

    @Test
    void aSavedIdentityLoadsBackWithPrivateModes() throws Exception {
        IdentityStore store = new IdentityStore(workDir);
        StoredIdentity saved = joined(store);
        assertThat(store.load("a1", clock.instant())).hasValueSatisfying(id -> {
            assertThat(id.serial()).isEqualTo(saved.serial());
            assertThat(id.agentId()).contains("a1");
            assertThat(id.caPem()).isEqualTo(cluster.caPem());
        });
        Path dir = workDir.resolve("identity");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        for (String f : new String[] {"agent.key", "agent.pem", "ca.pem"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f)))).as(f).isEqualTo("rw-------");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("agent.key", "agent.pem", "ca.pem");
        }
    }

    @Test
    void theTimeACertificateWasReceivedIsItsFilesAndOutlivesTheStore() throws Exception {
        IdentityStore store = new IdentityStore(workDir);
        assertThat(store.receivedAt()).isEmpty();
        Instant before = Instant.now().minusSeconds(1); // file times may be coarser than the clock
        joined(store);
        assertThat(new IdentityStore(workDir).receivedAt()).hasValueSatisfying(t ->
                assertThat(t).isBetween(before, Instant.now().plusSeconds(1)));
    }

    @Test
    void anExpiredCertificateOrAnotherAgentsIsNotUsed() throws Exception {
        IdentityStore store = new IdentityStore(workDir);
        joined(store);
        assertThat(store.load("a2", clock.instant())).as("another agent id").isEmpty();
        assertThat(store.load("a1", clock.instant().plus(Duration.ofHours(24)))).as("expired").isEmpty();
        assertThat(new IdentityStore(workDir.resolve("elsewhere")).load("a1", clock.instant())).isEmpty();
    }

    @Test
    void aCrashBetweenTheRenamesOfARenewalLeavesAWorkingPair() throws Exception {
        IdentityStore store = new IdentityStore(workDir);
        joined(store);
        Path dir = workDir.resolve("identity");
        KeyMaker.NewKey key = TestCluster.keys().newKey("a1");
        Grant renewed = cluster.renew(key.csrPem());
        Files.writeString(dir.resolve("agent.key.new"), key.privateKeyPem());
        Files.writeString(dir.resolve("agent.pem.new"), renewed.certificatePem());
        Files.move(dir.resolve("agent.key.new"), dir.resolve("agent.key"), StandardCopyOption.REPLACE_EXISTING);
        // the crash: agent.pem is still the old certificate, agent.key the new key

        assertThat(store.load("a1", clock.instant())).hasValueSatisfying(id ->
                assertThat(id.certificatePem()).isEqualTo(renewed.certificatePem()));
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedOnSave() throws Exception {
        IdentityStore store = new IdentityStore(workDir);
        KeyMaker.NewKey key = TestCluster.keys().newKey("a1");
        KeyMaker.NewKey other = TestCluster.keys().newKey("a1");
        Grant grant = cluster.join("t", "a1", key.csrPem());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.save(other.privateKeyPem(), grant))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not for this agent's new key");
    }
}
