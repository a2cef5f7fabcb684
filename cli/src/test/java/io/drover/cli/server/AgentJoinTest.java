package io.drover.cli.server;

import io.drover.coordinator.trust.SecurityAgentTrust;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.agent.identity.CaPin;
import io.drover.agent.identity.EnrollmentRefusedException;
import io.drover.agent.identity.IdentityBootstrap;
import io.drover.agent.identity.IdentityStore;
import io.drover.agent.identity.StoredIdentity;
import io.drover.agent.link.ThriftEnroller;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.agentid.AgentEnrollment;
import io.drover.coordinator.agentid.AgentTrust;
import io.drover.protocol.CallDeadlines;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.Endpoint;
import io.drover.security.ClusterCa;
import io.drover.security.Role;
import io.drover.security.Tokens;
import io.drover.testkit.SettableClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent joining a real coordinator whose agent ports are backed by the security module (its
 * {@link Tokens} and {@link ClusterCa}), over real sockets: the agent's side as {@code drover agent}
 * runs it, and the errors a user sees.
 */
class AgentJoinTest {
    private final SettableClock tokenClock = new SettableClock(Instant.now());
    private final Tokens tokens = new Tokens(key(), tokenClock);
    private final ClusterCa ca = ClusterCa.create("test", Clock.systemUTC());
    private TestingServer zk;
    private CoordinatorServer coordinator;
    @TempDir
    Path dir;

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString())
                .withListen("127.0.0.1", 0).withSessionTimeout(Duration.ofSeconds(3)), Clock.systemUTC())
                .agentTrust(certs -> AgentTrust.secure(new AgentEnrollment(certs, SecurityAgentTrust.tokens(tokens),
                        SecurityAgentTrust.issuer(ca, Duration.ofHours(24)), Clock.systemUTC())))
                .start();
        await().atMost(Duration.ofSeconds(20)).until(coordinator::isLeader);
    }

    @AfterEach
    void stop() throws Exception {
        coordinator.close();
        zk.close();
    }

    private StoredIdentity join(String agentId, Optional<String> token, Path workDir) throws EnrollmentRefusedException {
        ThriftEnroller enroller = new ThriftEnroller(() -> new CoordinatorConnection<>(CoordinatorService.AGENT,
                List.of(Endpoint.parse(coordinator.endpoint())), "agent " + agentId + " (identity)", CallDeadlines.DEFAULTS));
        return IdentityBootstrap.obtain(agentId, token, new IdentityStore(workDir), AgentIdentitySetup.keyMaker(), enroller,
                CaPin.fingerprint(ClusterCa.fingerprint(ca.certificate())), Clock.systemUTC());
    }

    @Test
    void anAgentJoinsOnceAndTheErrorsSayWhatToDo() throws Exception {
        String single = tokens.create(Role.AGENT, "ops", Optional.of("edge"), Duration.ofHours(1), 1);
        StoredIdentity a1 = join("a1", Optional.of(single), dir.resolve("a1"));
        assertThat(a1.agentId()).contains("a1");
        assertThat(ClusterCa.pool(a1.certificate())).contains("edge");
        assertThat(join("a1", Optional.empty(), dir.resolve("a1")).serial()).as("a restart reuses it").isEqualTo(a1.serial());

        String more = tokens.create(Role.AGENT, "ops", Optional.empty(), Duration.ofHours(1), 5);
        assertThatThrownBy(() -> join("a1", Optional.of(more), dir.resolve("twin")))
                .isInstanceOf(EnrollmentRefusedException.class)
                .hasMessageStartingWith("agent id a1 is held by another certificate");
        assertThatThrownBy(() -> join("a2", Optional.of(single), dir.resolve("a2")))
                .isInstanceOf(EnrollmentRefusedException.class).hasMessageContaining("already used 1 time");
        assertThatThrownBy(() -> join("a3", Optional.empty(), dir.resolve("a3")))
                .isInstanceOf(EnrollmentRefusedException.class)
                .hasMessageStartingWith("no --join-token and no valid certificate in " + dir.resolve("a3").resolve("identity"));
        String submitter = tokens.create(Role.SUBMITTER, "alice", Optional.empty(), Duration.ofHours(1), 0);
        assertThatThrownBy(() -> join("a4", Optional.of(submitter), dir.resolve("a4")))
                .isInstanceOf(EnrollmentRefusedException.class).hasMessageContaining("not a join token");

        String shortLived = tokens.create(Role.AGENT, "ops", Optional.empty(), Duration.ofMinutes(1), 1);
        tokenClock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> join("a5", Optional.of(shortLived), dir.resolve("a5")))
                .isInstanceOf(EnrollmentRefusedException.class).hasMessageStartingWith("join token expired");
    }
}
