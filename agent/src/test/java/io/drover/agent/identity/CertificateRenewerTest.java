package io.drover.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.testkit.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renewal tries driven by hand with a settable clock: when the next is due, what is stored, what is told. */
class CertificateRenewerTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final TestCluster cluster = new TestCluster(clock, Duration.ofHours(24));
    private final List<StoredIdentity> told = new ArrayList<>();
    @TempDir
    Path workDir;

    private CertificateRenewer renewer(IdentityStore store) throws Exception {
        StoredIdentity first = IdentityBootstrap.obtain("a1", Optional.of("t"), store, TestCluster.keys(), cluster,
                CaPin.none(), clock);
        return new CertificateRenewer("a1", first, store, TestCluster.keys(), cluster, CaPin.none(), clock, told::add);
    }

    @Test
    void renewsWithANewKeyAndSerialStoredAndToldThenWaitsTwoThirdsOfTheNewLifetime() throws Exception {
        IdentityStore store = new IdentityStore(workDir);
        CertificateRenewer renewer = renewer(store);
        StoredIdentity first = renewer.current();
        assertThat(renewer.dueAt()).isBetween(clock.instant().plus(Duration.ofHours(15)), clock.instant().plus(Duration.ofHours(17)));

        clock.set(renewer.dueAt());
        Duration next = renewer.tryRenew();
        StoredIdentity second = renewer.current();
        assertThat(second.serial()).isNotEqualTo(first.serial());
        assertThat(second.privateKeyPem()).isNotEqualTo(first.privateKeyPem());
        assertThat(told).containsExactly(second);
        assertThat(store.load("a1", clock.instant())).hasValueSatisfying(id -> assertThat(id.serial()).isEqualTo(second.serial()));
        assertThat(next).isBetween(Duration.ofHours(15), Duration.ofHours(17));
    }

    @Test
    void aFailedTryIsRetriedWithBackoffAndTheOldCertificateKept() throws Exception {
        CertificateRenewer renewer = renewer(new IdentityStore(workDir));
        StoredIdentity first = renewer.current();
        clock.set(renewer.dueAt());
        cluster.failNext = 2;
        assertThat(renewer.tryRenew()).isEqualTo(Duration.ofSeconds(1));
        assertThat(renewer.tryRenew()).isEqualTo(Duration.ofSeconds(2));
        assertThat(renewer.current()).isEqualTo(first);
        assertThat(told).isEmpty();
        renewer.tryRenew();
        assertThat(renewer.current().serial()).isNotEqualTo(first.serial());
    }

    @Test
    void aRenewalFromAnotherCaIsNotTaken() throws Exception {
        IdentityStore store = new IdentityStore(workDir);
        StoredIdentity first = IdentityBootstrap.obtain("a1", Optional.of("t"), store, TestCluster.keys(), cluster,
                CaPin.none(), clock);
        CaPin pinnedElsewhere = CaPin.file(new TestCluster(clock, Duration.ofHours(1)).caPem());
        CertificateRenewer renewer = new CertificateRenewer("a1", first, store, TestCluster.keys(), cluster, pinnedElsewhere,
                clock, told::add);
        assertThat(renewer.tryRenew()).isEqualTo(Duration.ofSeconds(1));
        assertThat(renewer.current()).isEqualTo(first);
    }
}
