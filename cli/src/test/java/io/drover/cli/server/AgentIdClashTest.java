package io.drover.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.Endpoint;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.InvalidRequest;
import io.drover.protocol.thrift.droverConstants;
import java.nio.file.Files;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.layered.TFramedTransport;
import io.drover.sdk.AgentStatus;
import io.drover.sdk.DroverClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Real agents against a real coordinator: a second agent given a running agent's id (its own work
 * dir) is refused and says so at ERROR, instead of merging into the first agent's row; the first
 * agent restarted on its own work dir is accepted.
 */
class AgentIdClashTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<Agent> agents = new ArrayList<>();
    private TestingServer zk;
    private CoordinatorServer coordinator;

    @BeforeEach
    void start() throws Exception {
        events.start();
        root.addAppender(events);
        zk = new TestingServer(true);
        coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0)
                .withSessionTimeout(Duration.ofSeconds(3)), Clock.systemUTC()).start();
        await().atMost(WAIT).until(coordinator::isLeader);
    }

    @AfterEach
    void stop() throws Exception {
        agents.forEach(Agent::close);
        coordinator.close();
        zk.close();
        root.detachAppender(events);
    }

    @Test
    void aSecondAgentWithARunningAgentsIdIsRefusedLoudlyAndARestartIsAccepted() throws Exception {
        Agent first = agent("twin", "first");
        assertThat(first.awaitRegistered(WAIT)).isTrue();

        Agent second = agent("twin", "second");
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getFormattedMessage()).contains("agent twin on 127.0.0.1: the coordinator refused its registration")
                    .contains("agent id twin is in use by another agent on host 127.0.0.1 since")
                    .contains("give this one --id or its own --work-dir");
        }));
        assertThat(events.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("refused the registration of agent twin");
        });
        assertThat(second.awaitRegistered(Duration.ZERO)).isFalse();
        second.close();

        first.close();
        Agent restarted = agent("twin", "first"); // same work dir: the same agent
        assertThat(restarted.awaitRegistered(WAIT)).isTrue();
        try (DroverClient client = DroverClient.connect(coordinator.endpoint())) {
            assertThat(client.agents()).extracting(AgentStatus::agentId).containsExactly("twin");
        }
    }

    /**
     * After a network split an agent may go on heartbeating without registering again: a heartbeat
     * is checked like a registration, by the work dir's instance token it carries.
     */
    @Test
    void aHeartbeatUnderARunningAgentsIdFromAnotherInstanceIsRefusedAndTheOwnersIsNot() throws Exception {
        Agent first = agent("twin", "first");
        assertThat(first.awaitRegistered(WAIT)).isTrue();
        String own = Files.readString(tmp.resolve("first").resolve("agent-instance")).lines().findFirst().orElseThrow();
        Endpoint at = Endpoint.parse(coordinator.endpoint());

        try (TTransport usurper = open(at)) {
            assertThatThrownBy(() -> heartbeat(usurper, "twin", "0123456789abcdef0123456789abcdef"))
                    .isInstanceOf(InvalidRequest.class)
                    .hasMessageContaining("agent id twin is in use by another agent on host 127.0.0.1 since");
        }
        try (TTransport owner = open(at)) {
            assertThat(heartbeat(owner, "twin", own).isReRegister()).as("the agent's own heartbeat on a new connection")
                    .isFalse();
        }
        // The appender's list grows on other threads: read it until it holds the line.
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(events.list)
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("refused a heartbeat of agent twin")));
    }

    private static TTransport open(Endpoint at) throws Exception {
        TTransport transport = new TFramedTransport(new TSocket(at.host(), at.port()));
        transport.open();
        return transport;
    }

    private static HeartbeatReply heartbeat(TTransport transport, String agentId, String instanceId) throws Exception {
        AgentService.Client agent = CoordinatorService.AGENT.client(new TCompactProtocol(transport));
        return agent.heartbeat(new HeartbeatRequest(agentId, List.of(), List.of(), 0, false, 0,
                droverConstants.PROTOCOL_VERSION).setInstanceId(instanceId));
    }

    private Agent agent(String id, String workDir) {
        Agent agent = new Agent(AgentConfig.of(id, "127.0.0.1", List.of(Endpoint.parse(coordinator.endpoint())), 1, Map.of(),
                tmp.resolve(workDir)));
        agents.add(agent);
        agent.start();
        return agent;
    }
}
