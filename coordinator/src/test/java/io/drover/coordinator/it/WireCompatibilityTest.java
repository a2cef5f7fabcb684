package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.protocol.CoordinatorService;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.Assignment;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.JobView;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.droverConstants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TMemoryBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's port serves both services multiplexed, and still serves the unprefixed calls
 * of releases before the split. A plain (unmultiplexed) {@code AgentService.Client} or
 * {@code ClientService.Client} over compact protocol on framed transport writes exactly what the
 * previous release's single-service client wrote: same method names, same argument ids and types.
 */
class WireCompatibilityTest {
    private LoneCoordinator grid;

    @BeforeEach
    void startCoordinator() throws Exception {
        grid = LoneCoordinator.start();
    }

    @AfterEach
    void stop() throws Exception {
        grid.close();
    }

    @Test
    void aPlainClientWritesTheBareMethodNameAsThePreviousReleaseDid() throws Exception {
        TMemoryBuffer buffer = new TMemoryBuffer(256);
        new AgentService.Client(new TCompactProtocol(buffer)).send_registerAgent(registration("ag0"));
        TMessage sent = new TCompactProtocol(buffer).readMessageBegin();
        assertThat(sent.name).isEqualTo("registerAgent");

        buffer = new TMemoryBuffer(256);
        CoordinatorService.CLIENT.client(new TCompactProtocol(buffer)).send_submit(processJob("k"));
        assertThat(new TCompactProtocol(buffer).readMessageBegin().name).isEqualTo("ClientService" + TMultiplexedProtocol.SEPARATOR + "submit");
    }

    @Test
    void unprefixedCallsOfThePreviousReleaseAreServed() throws Exception {
        AgentService.Client agent = new AgentService.Client(grid.connect());
        ClientService.Client client = new ClientService.Client(grid.connect());

        assertThat(agent.hello(new Hello(droverConstants.PROTOCOL_VERSION, "old-agent")).isLeader()).isTrue();
        ServerInfo info = client.hello(new Hello(droverConstants.PROTOCOL_VERSION, "old-client"));
        assertThat(info.isLeader()).isTrue();
        assertThat(info.getProtocolVersion()).isEqualTo(droverConstants.PROTOCOL_VERSION);

        agent.registerAgent(registration("old-agent"));
        String jobId = client.submit(processJob("old-key")).getJobId();
        assertThat(client.submit(processJob("old-key")).isDuplicate()).isTrue();
        Assignment assigned = firstAssignment(agent, "old-agent");
        assertThat(assigned.getJobId()).isEqualTo(jobId);

        JobView job = client.getJob(jobId, true, false);
        assertThat(job.getJobId()).isEqualTo(jobId);
        assertThat(job.getTotalTasks()).isEqualTo(1);
        assertThat(agent.describeJob(jobId).getCommand()).containsExactly("/bin/true");
    }

    @Test
    void prefixedCallsReachTheirServiceAndOnlyIt() throws Exception {
        AgentService.Client agent = CoordinatorService.AGENT.client(grid.connect());
        ClientService.Client client = CoordinatorService.CLIENT.client(grid.connect());

        assertThat(agent.hello(new Hello(droverConstants.PROTOCOL_VERSION, "new-agent")).isLeader()).isTrue();
        assertThat(client.hello(new Hello(droverConstants.PROTOCOL_VERSION, "new-client")).isLeader()).isTrue();
        agent.registerAgent(registration("new-agent"));
        String jobId = client.submit(processJob("new-key")).getJobId();
        assertThat(firstAssignment(agent, "new-agent").getJobId()).isEqualTo(jobId);
        assertThat(client.getJob(jobId, false, false).getJobId()).isEqualTo(jobId);

        // A client method under the agent service's name, and an unknown service, are unknown methods;
        // the connection stays usable.
        TProtocol connection = grid.connect();
        ClientService.Client misrouted = new ClientService.Client(new TMultiplexedProtocol(connection, "AgentService"));
        assertThatThrownBy(() -> misrouted.getJob(jobId, false, false)).isInstanceOfSatisfying(TApplicationException.class,
                e -> assertThat(e.getType()).isEqualTo(TApplicationException.UNKNOWN_METHOD));
        ClientService.Client unknown = new ClientService.Client(new TMultiplexedProtocol(connection, "Coordinator"));
        assertThatThrownBy(() -> unknown.getJob(jobId, false, false)).isInstanceOfSatisfying(TApplicationException.class,
                e -> assertThat(e.getType()).isEqualTo(TApplicationException.UNKNOWN_METHOD));
        assertThat(CoordinatorService.CLIENT.client(connection).getJob(jobId, false, false).getJobId())
                .as("the connection still serves").isEqualTo(jobId);
    }

    /** Heartbeats (short polls) until the agent is handed work. */
    private static Assignment firstAssignment(AgentService.Client agent, String agentId) {
        List<Assignment> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HeartbeatReply reply = agent.heartbeat(new HeartbeatRequest(agentId, List.of(), List.of(), 1, false, 0,
                    droverConstants.PROTOCOL_VERSION));
            got.addAll(reply.getAssignments());
            assertThat(got).isNotEmpty();
        });
        return got.get(0);
    }

    /** Compact protocol on framed transport, as every release has spoken it. */

    private static AgentRegistration registration(String agentId) {
        return new AgentRegistration(agentId, "localhost", 1, Map.of(), droverConstants.PROTOCOL_VERSION, "previous");
    }

    private static JobSubmission processJob(String key) {
        return new JobSubmission("compat", "alice", key, JobKind.PROCESS, 1, List.of(), 1, 1, 0, false, 0, Map.of(), 0)
                .setCommand(List.of("/bin/true"));
    }
}
