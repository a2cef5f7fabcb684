package io.drover.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.drover.agent.AgentConfig;
import io.drover.agent.identity.EnrollmentRefusedException;
import io.drover.protocol.CallDeadlines;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.PermissionRefusedException;
import io.drover.protocol.PeerNames;
import io.drover.protocol.WireLimits;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.droverConstants;
import io.drover.protocol.tls.ClientSecurity;
import io.drover.protocol.tls.TlsFailures;
import io.drover.protocol.tls.TlsSettings;
import io.drover.protocol.tls.TlsSockets;
import io.drover.sdk.DroverClient;
import io.drover.sdk.JobHandle;
import io.drover.sdk.JobSpec;
import io.drover.sdk.JobStatus;
import io.drover.sdk.TaskStatus;
import io.drover.security.Role;
import io.drover.security.SecretsDir;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a secure cluster refuses, end to end: a coordinator made secure by {@code ClusterTrust.secure},
 * real TLS 1.3, agents that join through {@link AgentSecurity} as {@code drover agent} does. Each
 * refusal is asserted with the words its user reads. (The enrolment rules on their own are in the
 * coordinator's AgentEnrollmentTest and SecureAgentsTest; here they go through the whole wiring.)
 */
class SecurityRefusalsTest {
    @TempDir
    Path dir;
    private SecureGrid grid;

    @BeforeEach
    void start() throws Exception {
        grid = SecureGrid.start(dir, Duration.ofHours(24));
    }

    @AfterEach
    void stop() throws Exception {
        grid.close();
    }

    @Test
    void anExpiredAgentCertificateIsRefusedInTheHandshakeAndOnAConnectionItOpenedWhileValid() throws Exception {
        // Signed by the cluster CA two hours ago for one hour.
        SecretsDir past = SecretsDir.load(grid.secrets().dir(), Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)));
        TlsSettings expired = SecureGrid.agentTls(past, "x1", Duration.ofHours(1));
        Throwable failure = catchThrowable(() -> {
            TSocket socket = TlsSockets.open(expired, "127.0.0.1", grid.coordinator().port(), 10_000, 5_000);
            try {
                AgentService.Client c = CoordinatorService.AGENT.client(
                        new TCompactProtocol(new TFramedTransport(socket, WireLimits.MAX_FRAME_BYTES)));
                c.hello(new Hello(droverConstants.PROTOCOL_VERSION, PeerNames.agent("x1", "test")));
                c.registerAgent(registration("x1"));
            } finally {
                socket.close();
            }
        });
        assertThat(failure).as("no call gets through with an expired certificate").isNotNull();
        // TLS 1.3: the client learns of the refusal at its first read; a reset may overtake the alert.
        if (TlsFailures.find(failure, SocketException.class) == null) {
            assertThat(TlsFailures.refusal(failure, "127.0.0.1:" + grid.coordinator().port(), expired))
                    .as("mapped from %s", failure)
                    .hasValueSatisfying(r -> assertThat(r).hasMessageContaining("refused this side's certificate")
                            .hasMessageEndingWith("it must be issued by the coordinator's cluster CA, unexpired and not revoked"));
        }

        // Valid for a few seconds more: a connection opened now is refused once it has expired.
        TlsSettings shortLived = SecureGrid.agentTls(grid.secrets(), "x2", Duration.ofSeconds(3));
        try (CoordinatorConnection<AgentService.Client> conn = connection(ClientSecurity.of(shortLived, null))) {
            conn.call(c -> {
                c.registerAgent(registration("x2"));
                return null;
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> conn.call(c -> c.heartbeat(poll("x2"))))
                            .isInstanceOf(PermissionRefusedException.class)
                            .hasMessageMatching("certificate [0-9a-f]+ expired at .*; the agent must join again with a new join token"));
        }
    }

    @Test
    void aRevokedAgentIsCutOffWithinASecondAndItsRunningTasksRunAgainOnAnotherAgent() throws Exception {
        grid.startAgent("v1", 2, grid.joinToken(1));
        DroverClient client = grid.adminClient();
        JobHandle job = client.submit(JobSpec.process(List.of("sleep", "3")).name("revoked").shards(2).maxAttempts(3).build());
        await().atMost(Duration.ofSeconds(20)).until(() -> job.status().running() == 2);
        grid.startAgent("v2", 2, grid.joinToken(1));
        ClientSecurity v1 = grid.joined("v1").security();

        long t0 = System.nanoTime();
        client.revokeAgent("v1");
        await().atMost(Duration.ofSeconds(1)).until(() -> client.agents().stream().noneMatch(a -> a.agentId().equals("v1")));
        Duration cutOff = Duration.ofNanos(System.nanoTime() - t0);
        try (CoordinatorConnection<AgentService.Client> conn = connection(v1)) {
            assertThatThrownBy(() -> conn.call(c -> c.heartbeat(poll("v1")))).as("its certificate, on a new connection")
                    .isInstanceOf(PermissionRefusedException.class)
                    .hasMessageMatching("certificate [0-9a-f]+ is revoked; the agent must join again with a new join token");
        }
        assertThat(cutOff).isLessThan(Duration.ofSeconds(1));

        JobStatus end = job.await(Duration.ofSeconds(30));
        System.out.printf("revocation: agent v1 gone from the coordinator %d ms after revokeAgent was sent%n", cutOff.toMillis());
        assertThat(end.succeeded()).isEqualTo(2);
        assertThat(job.status(true).tasks()).extracting(TaskStatus::agentId, TaskStatus::attempts)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(Optional.of("v2"), 2));
    }

    @Test
    void anAgentSpeakingForAnotherIdWithItsOwnValidCertificateIsRefusedAndLogged() throws Exception {
        grid.startAgent("c1", 1, grid.joinToken(1));
        AgentConfig c2 = grid.agentConfig("c2", 1);
        ClientSecurity impostor = grid.establish(c2, grid.joinToken(1)).security();
        ListAppender<ILoggingEvent> refusals = new ListAppender<>();
        Logger log = (Logger) LoggerFactory.getLogger("io.drover.coordinator.rpc.AccessDenied");
        refusals.start();
        log.addAppender(refusals);
        try (CoordinatorConnection<AgentService.Client> conn = connection(impostor)) {
            assertThatThrownBy(() -> conn.call(c -> {
                c.registerAgent(registration("c1"));
                return null;
            })).isInstanceOf(PermissionRefusedException.class)
                    .hasMessage("this connection is agent c2; it may not call registerAgent for agent c1");
            assertThatThrownBy(() -> conn.call(c -> c.heartbeat(poll("c1")))).isInstanceOf(PermissionRefusedException.class)
                    .hasMessage("this connection is agent c2; it may not call heartbeat for agent c1");
            conn.call(c -> {
                c.registerAgent(registration("c2"));
                return null;
            }); // its own id still works
        } finally {
            log.detachAppender(refusals);
        }
        assertThat(refusals.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).startsWith("127.0.0.1: refused: this connection is agent c2; it may not call "
                        + "registerAgent for agent c1"));
        assertThat(grid.adminClient().agents()).extracting(a -> a.agentId()).containsExactlyInAnyOrder("c1", "c2");
    }

    @Test
    void anExpiredJoinTokenAndAReusedSingleUseOneAreRefusedWithWhatToDo() throws Exception {
        SecretsDir past = SecretsDir.load(grid.secrets().dir(), Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)));
        String expired = past.tokens().create(Role.AGENT, "ops", Optional.empty(), Duration.ofHours(1), 1);
        AgentConfig late = grid.agentConfig("late", 1);
        assertThatThrownBy(() -> grid.establish(late, expired)).isInstanceOf(EnrollmentRefusedException.class)
                .hasMessageStartingWith("join token expired")
                .hasMessageContaining("ask an admin for a new one ('drover token create')");
        assertThat(late.workDir().resolve("identity").resolve("agent.pem")).doesNotExist();

        String once = grid.joinToken(1);
        grid.establish(grid.agentConfig("first", 1), once);
        AgentConfig second = grid.agentConfig("second", 1);
        assertThatThrownBy(() -> grid.establish(second, once)).isInstanceOf(EnrollmentRefusedException.class)
                .hasMessageContaining("was already used 1 time; create a new one with 'drover token create --role agent'");
        assertThat(Files.exists(second.workDir().resolve("identity").resolve("agent.pem"))).isFalse();
    }

    private CoordinatorConnection<AgentService.Client> connection(ClientSecurity security) {
        return new CoordinatorConnection<>(CoordinatorService.AGENT, List.of(grid.endpoint()), "test agent",
                CallDeadlines.DEFAULTS, false, security);
    }

    private static AgentRegistration registration(String agentId) {
        return new AgentRegistration(agentId, "host", 1, Map.of(), droverConstants.PROTOCOL_VERSION, "test")
                .setInstanceId("i-" + agentId);
    }

    private static HeartbeatRequest poll(String agentId) {
        return new HeartbeatRequest(agentId, List.of(), List.of(), 1, false, 0, droverConstants.PROTOCOL_VERSION);
    }
}
