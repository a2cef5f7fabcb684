package io.drover.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.testkit.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityBootstrapTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final TestCluster cluster = new TestCluster(clock, Duration.ofHours(24));
    @TempDir
    Path workDir;

    private StoredIdentity obtain(Optional<String> token, CaPin pin) throws EnrollmentRefusedException {
        return IdentityBootstrap.obtain("a1", token, new IdentityStore(workDir), TestCluster.keys(), cluster, pin, clock);
    }

    @Test
    void joinsOnceThenUsesTheStoredCertificateUntilItExpires() throws Exception {
        StoredIdentity joined = obtain(Optional.of("tok"), CaPin.none());
        assertThat(cluster.calls).containsExactly("join tok a1");
        assertThat(obtain(Optional.empty(), CaPin.none()).serial()).isEqualTo(joined.serial());
        assertThat(cluster.calls).hasSize(1);

        clock.advance(Duration.ofHours(25));
        assertThatThrownBy(() -> obtain(Optional.empty(), CaPin.none()))
                .isInstanceOf(EnrollmentRefusedException.class)
                .hasMessageStartingWith("no --join-token and no valid certificate in " + workDir.resolve("identity"));
        assertThat(obtain(Optional.of("new"), CaPin.none()).serial()).as("joins again with a new token")
                .isNotEqualTo(joined.serial());
    }

    @Test
    void aRefusedJoinSaysWhyAndStoresNothing() {
        cluster.refuseWith = "agent id a1 is held by another certificate (valid until 2026-12-02T10:00:00Z); choose another id";
        assertThatThrownBy(() -> obtain(Optional.of("tok"), CaPin.none()))
                .isInstanceOf(EnrollmentRefusedException.class).hasMessageStartingWith("agent id a1 is held by another certificate");
        assertThat(new IdentityStore(workDir).load("a1", clock.instant())).isEmpty();
    }

    @Test
    void theGrantedCaMustBeThePinnedOne() throws Exception {
        String fingerprint = "sha256:" + CaPin.fingerprintOf(cluster.caPem());
        assertThat(obtain(Optional.of("tok"), CaPin.fingerprint(fingerprint)).agentId()).contains("a1");

        assertThatThrownBy(() -> IdentityBootstrap.obtain("a1", Optional.of("tok"), new IdentityStore(workDir.resolve("b")),
                TestCluster.keys(), cluster, CaPin.fingerprint("sha256:" + "0".repeat(64)), clock))
                .isInstanceOf(EnrollmentRefusedException.class).hasMessageContaining("not the pinned sha256:" + "0".repeat(64));
        assertThatThrownBy(() -> CaPin.fingerprint("md5:abc")).hasMessageContaining("--ca-fingerprint must be sha256:");
    }
}
