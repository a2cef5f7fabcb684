package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.AgentView;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.InvalidRequest;
import io.drover.protocol.thrift.droverConstants;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.thrift.protocol.TProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Two agents registering under one id against a real leading coordinator: the second is refused
 * loudly while the first still has an open connection; the same agent (same instance id)
 * registering again is accepted even while its old connection still looks open.
 */
class AgentIdClashTest {
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private LoneCoordinator grid;

    @BeforeEach
    void start() throws Exception {
        grid = LoneCoordinator.start();
        events.start();
        root.addAppender(events);
    }

    @AfterEach
    void stop() throws Exception {
        root.detachAppender(events);
        grid.close();
    }

    @Test
    void aSecondAgentUnderALiveAgentsIdIsRefusedAndTakesItOnlyOnceTheFirstIsGone() throws Exception {
        TProtocol first = grid.connect();
        AgentService.Client a = agent(first);
        a.registerAgent(registration("twin", "host-a", "instance-a"));
        heartbeat(a, "twin");

        AgentService.Client b = agent(grid.connect());
        assertThatThrownBy(() -> b.registerAgent(registration("twin", "host-b", "instance-b")))
                .isInstanceOf(InvalidRequest.class)
                .hasMessageMatching("agent id twin is in use by another agent on host host-a since \\S+Z; "
                        + "give this one --id or its own --work-dir");
        assertThat(events.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("refused the registration of agent twin from host host-b")
                    .contains("in use by another agent on host host-a");
        });
        assertThat(agents()).singleElement().satisfies(v -> assertThat(v.getHost()).isEqualTo("host-a"));

        first.getTransport().close(); // the first agent is gone
        await().atMost(Duration.ofSeconds(10)).ignoreException(InvalidRequest.class)
                .untilAsserted(() -> b.registerAgent(registration("twin", "host-b", "instance-b")));
        assertThat(agents()).singleElement().satisfies(v -> assertThat(v.getHost()).isEqualTo("host-b"));
    }

    @Test
    void theSameAgentRestartingIsAcceptedWhileItsOldConnectionStillLooksOpen() throws Exception {
        AgentService.Client beforeCrash = agent(grid.connect());
        beforeCrash.registerAgent(registration("solo", "host-a", "instance-1"));
        heartbeat(beforeCrash, "solo");

        AgentService.Client afterRestart = agent(grid.connect()); // the old connection is still open
        afterRestart.registerAgent(registration("solo", "host-a", "instance-1"));
        heartbeat(afterRestart, "solo");

        assertThat(agents()).singleElement().satisfies(v -> assertThat(v.getAgentId()).isEqualTo("solo"));
        assertThat(events.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains("refused the registration"));
    }

    @Test
    void agentsWithoutAnInstanceIdAreToldApartByHost() throws Exception {
        AgentService.Client old = agent(grid.connect());
        old.registerAgent(registration("legacy", "host-a", null));
        heartbeat(old, "legacy");

        agent(grid.connect()).registerAgent(registration("legacy", "host-a", null)); // a restart, as before
        assertThatThrownBy(() -> agent(grid.connect()).registerAgent(registration("legacy", "host-b", null)))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("in use by another agent on host host-a");
    }

    private static AgentService.Client agent(TProtocol connection) {
        return CoordinatorService.AGENT.client(connection);
    }

    private static AgentRegistration registration(String agentId, String host, String instanceId) {
        AgentRegistration r = new AgentRegistration(agentId, host, 2, Map.of(), droverConstants.PROTOCOL_VERSION, "test");
        return instanceId == null ? r : r.setInstanceId(instanceId);
    }

    private static void heartbeat(AgentService.Client agent, String agentId) throws Exception {
        agent.heartbeat(new HeartbeatRequest(agentId, List.of(), List.of(), 2, false, 0, droverConstants.PROTOCOL_VERSION));
    }

    private List<AgentView> agents() throws Exception {
        return CoordinatorService.CLIENT.client(grid.connect()).listAgents();
    }
}
