package io.drover.coordinator.agentid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.testkit.SettableClock;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Joins, renewals and revocations against a real ZooKeeper, with two coordinators' views of it
 * (as across a leader change): ids and token uses are durable facts both see.
 */
class AgentEnrollmentTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final TestCa ca = new TestCa(clock, Duration.ofHours(24));
    private final Map<String, JoinToken> tokens = new HashMap<>();
    private TestingServer zk;
    private CuratorFramework client;
    private ZkAgentCertificates first;
    private ZkAgentCertificates second;

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        client = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
        client.start();
        first = new ZkAgentCertificates(client, "/drover").start();
        second = new ZkAgentCertificates(client, "/drover").start();
        token("single", Optional.of("edge"), Duration.ofHours(1), 1);
        token("many", Optional.empty(), Duration.ofHours(1), 0);
    }

    @AfterEach
    void stop() throws Exception {
        first.close();
        second.close();
        client.close();
        zk.close();
    }

    private void token(String id, Optional<String> pool, Duration ttl, int uses) {
        tokens.put(id, new JoinToken(id, "agent", pool, clock.instant().plus(ttl), uses));
    }

    private AgentEnrollment enrollment(ZkAgentCertificates store) {
        return new AgentEnrollment(store, t -> Optional.ofNullable(tokens.get(t))
                .orElseThrow(() -> new AgentAccessException("not a token of this cluster")), ca, clock);
    }

    private static String csr() {
        return TestCa.csr(TestCa.newKey(), "whatever");
    }

    @Test
    void aJoinIssuesACertificateForTheIdInTheTokensPool() throws Exception {
        AgentEnrollment.Grant g = enrollment(first).join("single", "a1", csr(), "10.0.0.1");
        var cert = TestCa.certificate(g.certificate().certificatePem());
        assertThat(CertificateNames.commonName(cert)).contains("a1");
        assertThat(g.pool()).contains("edge");
        assertThat(g.certificate().notAfter()).isEqualTo(clock.instant().plus(Duration.ofHours(24)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    @Test
    void aSecondJoinForAHeldIdIsRefusedNamingTheWayOut() throws Exception {
        enrollment(first).join("many", "a1", csr(), "10.0.0.1");
        assertThatThrownBy(() -> enrollment(second).join("many", "a1", csr(), "10.0.0.2"))
                .isInstanceOf(AgentAccessException.class)
                .hasMessageContaining("agent id a1 is held by another certificate")
                .hasMessageContaining("drover agents revoke a1");
    }

    @Test
    void aJoinRetriedWithTheSameKeyAfterItsAnswerWasLostGetsACertificateWithoutSpendingTheTokenAgain() throws Exception {
        String sameCsr = csr();
        AgentEnrollment.Grant first = enrollment(this.first).join("single", "a1", sameCsr, "10.0.0.1");
        // The answer never reached the agent (the coordinator froze); it asks the next coordinator, same request.
        AgentEnrollment.Grant again = enrollment(second).join("single", "a1", sameCsr, "10.0.0.1");

        assertThat(again.agentId()).isEqualTo("a1");
        assertThat(again.pool()).contains("edge");
        assertThat(again.certificate().serial()).isNotEqualTo(first.certificate().serial());
        assertThat(again.certificate().keySha256()).isEqualTo(first.certificate().keySha256());
        // Both certificates are the id's: a revocation must end both.
        assertThat(this.first.holder("a1").value().orElseThrow().serials()).hasSize(2);
        assertThatThrownBy(() -> enrollment(second).join("single", "a2", csr(), "10.0.0.2"))
                .as("the single-use token was spent once").hasMessageContaining("already used 1 time");
    }

    @Test
    void aUsedSingleUseTokenStaysUsedOnAnotherCoordinator() throws Exception {
        enrollment(first).join("single", "a1", csr(), "10.0.0.1");
        assertThatThrownBy(() -> enrollment(second).join("single", "a2", csr(), "10.0.0.2"))
                .isInstanceOf(AgentAccessException.class).hasMessageContaining("already used 1 time");
    }

    @Test
    void anExpiredTokenOrAnotherRoleIsRefused() {
        token("old", Optional.empty(), Duration.ofMinutes(1), 1);
        tokens.put("admin", new JoinToken("admin", "admin", Optional.empty(), clock.instant().plusSeconds(60), 0));
        clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> enrollment(first).join("old", "a1", csr(), "x"))
                .isInstanceOf(AgentAccessException.class).hasMessageStartingWith("join token expired");
        assertThatThrownBy(() -> enrollment(first).join("admin", "a1", csr(), "x"))
                .isInstanceOf(AgentAccessException.class).hasMessageContaining("not a join token");
    }

    @Test
    void anAgentWhoseCertificateExpiredJoinsAgainWithANewToken() throws Exception {
        enrollment(first).join("single", "a1", csr(), "x");
        clock.advance(Duration.ofHours(25));
        token("fresh", Optional.empty(), Duration.ofHours(1), 1);
        assertThat(enrollment(second).join("fresh", "a1", csr(), "x").agentId()).isEqualTo("a1");
    }

    @Test
    void aRenewalKeepsIdAndPoolWithANewSerial() throws Exception {
        AgentEnrollment.Grant joined = enrollment(first).join("single", "a1", csr(), "x");
        clock.advance(Duration.ofHours(16));
        AgentEnrollment.Grant renewed = enrollment(second).renew("a1", joined.certificate().serial(), csr());
        assertThat(renewed.certificate().serial()).isNotEqualTo(joined.certificate().serial());
        assertThat(renewed.pool()).contains("edge");
        assertThat(CertificateNames.commonName(TestCa.certificate(renewed.certificate().certificatePem()))).contains("a1");
        assertThat(renewed.certificate().notAfter()).isAfter(joined.certificate().notAfter());
        // The old certificate still renews until it ends (an agent that lost the new one to a crash).
        assertThat(enrollment(first).renew("a1", joined.certificate().serial(), csr()).agentId()).isEqualTo("a1");
    }

    @Test
    void revocationRefusesEveryCertificateOfTheIdOnEveryCoordinatorAndFreesTheId() throws Exception {
        AgentEnrollment.Grant joined = enrollment(first).join("many", "a1", csr(), "x");
        AgentEnrollment.Grant renewed = enrollment(first).renew("a1", joined.certificate().serial(), csr());
        assertThat(enrollment(first).revoke("a1"))
                .containsExactlyInAnyOrder(joined.certificate().serial(), renewed.certificate().serial());
        BigInteger latest = renewed.certificate().serial();
        await().atMost(Duration.ofSeconds(5)).until(() -> second.isRevoked(latest) && second.isRevoked(joined.certificate().serial()));
        assertThatThrownBy(() -> enrollment(second).renew("a1", latest, csr()))
                .isInstanceOf(AgentAccessException.class).hasMessageContaining("revoked");
        assertThat(enrollment(second).join("many", "a1", csr(), "x").agentId()).as("the id is free again").isEqualTo("a1");

        // A coordinator started later (a new leader) knows the revocations from its first call.
        try (ZkAgentCertificates later = new ZkAgentCertificates(client, "/drover").start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> later.isRevoked(latest));
        }
    }
}
