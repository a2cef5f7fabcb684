package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.protocol.CoordinatorService;
import io.drover.protocol.PeerNames;
import io.drover.protocol.thrift.AccessDenied;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.ArtifactStatus;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.LogChunk;
import io.drover.protocol.thrift.LogRequest;
import io.drover.protocol.thrift.LogStream;
import io.drover.protocol.thrift.droverConstants;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An agent reads and answers only what it was given, on a real coordinator over real sockets (in
 * insecure mode, where an agent is the name its hello announced): it may not speak for another
 * agent, describe a job or fetch an artifact it holds no task of, or answer a log read sent to
 * another agent.
 */
class AgentAccessTest {
    private LoneCoordinator grid;

    @BeforeEach
    void start() throws Exception {
        grid = LoneCoordinator.start();
    }

    @AfterEach
    void stop() throws Exception {
        grid.close();
    }

    @Test
    void aConnectionMayNotSpeakForAnotherAgent() throws Exception {
        AgentService.Client a1 = agent("a1");
        a1.registerAgent(registration("a1"));
        assertThatThrownBy(() -> a1.heartbeat(poll("a2")))
                .isInstanceOf(AccessDenied.class)
                .hasMessage("this connection is agent a1; it may not call heartbeat for agent a2");
        assertThatThrownBy(() -> a1.registerAgent(registration("a2"))).isInstanceOf(AccessDenied.class);
        a1.heartbeat(poll("a1")); // its own still works
    }

    @Test
    void jobsAndArtifactsAreReadOnlyByTheAgentHoldingTheirTasks() throws Exception {
        ClientService.Client client = CoordinatorService.CLIENT.client(grid.connect());
        String sha = upload(client, "jar bytes".getBytes());
        JobSubmission s = new JobSubmission("t", "alice", "k1", JobKind.JVM, 1, List.of(), 1, 3, 0, false, 0, Map.of(), 0);
        s.setArtifactSha256(sha);
        s.setEntryClass("x.Job");
        String jobId = client.submit(s).getJobId();

        AgentService.Client a1 = agent("a1");
        a1.registerAgent(registration("a1"));
        AgentService.Client a2 = agent("a2");
        a2.registerAgent(registration("a2"));
        HeartbeatReply reply = a1.heartbeat(poll("a1"));
        assertThat(reply.getAssignments()).singleElement().satisfies(a -> assertThat(a.getJobId()).isEqualTo(jobId));

        assertThat(a1.describeJob(jobId).getArtifactSha256()).isEqualTo(sha);
        assertThat(a1.fetchArtifact(sha, 0, 1024).getData()).isEqualTo("jar bytes".getBytes());
        assertThatThrownBy(() -> a2.describeJob(jobId)).isInstanceOf(AccessDenied.class)
                .hasMessage("agent a2 holds no task of job " + jobId + "; an agent reads only what it was assigned");
        assertThatThrownBy(() -> a2.fetchArtifact(sha, 0, 1024)).isInstanceOf(AccessDenied.class)
                .hasMessageContaining("agent a2 holds no task of artifact " + sha);
    }

    @Test
    void aLogReadSentToOneAgentIsNotAnsweredByAnother() throws Exception {
        ClientService.Client client = CoordinatorService.CLIENT.client(grid.connect());
        JobSubmission s = new JobSubmission("p", "alice", "k2", JobKind.PROCESS, 1, List.of(), 1, 3, 0, false, 0, Map.of(), 0);
        s.setCommand(List.of("true"));
        String jobId = client.submit(s).getJobId();
        AgentService.Client a1 = agent("a1");
        a1.registerAgent(registration("a1"));
        AgentService.Client a2 = agent("a2");
        a2.registerAgent(registration("a2"));
        assertThat(a1.heartbeat(poll("a1")).getAssignments()).hasSize(1);

        ClientService.Client reader = CoordinatorService.CLIENT.client(grid.connect());
        CompletableFuture<LogChunk> read = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLog(jobId, 0, LogStream.STDOUT, 0, 100, 10_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        LogRequest request = await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<LogRequest> r = a1.heartbeat(poll("a1")).getLogRequests();
            return r == null || r.isEmpty() ? null : r.get(0);
        }, java.util.Objects::nonNull);
        assertThat(request.getRequestId()).as("random, not a counter").isGreaterThan(1_000_000L);

        LogChunk forged = answer(request, "forged");
        assertThatThrownBy(() -> a2.deliverLog("a2", forged)).isInstanceOf(AccessDenied.class)
                .hasMessage("log request " + request.getRequestId() + " was not sent to agent a2");
        assertThatThrownBy(() -> a2.deliverLog("a1", forged)).isInstanceOf(AccessDenied.class);
        a1.deliverLog("a1", answer(request, "real"));
        assertThat(read.get(10, java.util.concurrent.TimeUnit.SECONDS).getData()).isEqualTo("real".getBytes());
    }

    private AgentService.Client agent(String agentId) throws Exception {
        AgentService.Client c = CoordinatorService.AGENT.client(grid.connect());
        c.hello(new Hello(droverConstants.PROTOCOL_VERSION, PeerNames.agent(agentId, "test")));
        return c;
    }

    private static AgentRegistration registration(String agentId) {
        return new AgentRegistration(agentId, "host-" + agentId, 2, Map.of(), droverConstants.PROTOCOL_VERSION, "test")
                .setInstanceId("i-" + agentId);
    }

    private static HeartbeatRequest poll(String agentId) {
        return new HeartbeatRequest(agentId, List.of(), List.of(), 2, false, 0, droverConstants.PROTOCOL_VERSION);
    }

    private static LogChunk answer(LogRequest r, String text) {
        byte[] data = text.getBytes();
        return new LogChunk(r.getRequestId(), r.getJobId(), r.getTask(), r.getAttemptId(), r.getStream(), r.getOffset(),
                ByteBuffer.wrap(data), true, data.length, false);
    }

    private static String upload(ClientService.Client c, byte[] data) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        ArtifactStatus st = c.beginUpload(sha, data.length);
        c.uploadChunk(new ArtifactChunk(sha, st.getBytesReceived(), ByteBuffer.wrap(data), sha, data.length));
        return sha;
    }
}
