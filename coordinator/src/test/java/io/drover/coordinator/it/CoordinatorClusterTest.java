package io.drover.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.CoordinatorServer;
import io.drover.protocol.RequestRefusedException;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ArtifactChunk;
import io.drover.protocol.thrift.ArtifactStatus;
import io.drover.protocol.thrift.Assignment;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.HeartbeatRequest;
import io.drover.protocol.thrift.Hello;
import io.drover.protocol.thrift.JobDescriptor;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.JvmIsolation;
import io.drover.protocol.thrift.Outcome;
import io.drover.protocol.thrift.ServerInfo;
import io.drover.protocol.thrift.TaskResult;
import io.drover.protocol.thrift.droverConstants;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two real coordinators on a real ZooKeeper, spoken to over real Thrift sockets. */
class CoordinatorClusterTest {
    @RegisterExtension
    final TwoCoordinators cluster = new TwoCoordinators();

    private CoordinatorServer coordinator() {
        return cluster.coordinator();
    }

    private CoordinatorConnection<ClientService.Client> connect(CoordinatorServer... servers) {
        return cluster.connect(CoordinatorService.CLIENT, servers);
    }

    private CoordinatorConnection<AgentService.Client> connectAgent(CoordinatorServer... servers) {
        return cluster.connect(CoordinatorService.AGENT, servers);
    }

    @Test
    void oneLeaderTheStandbyRedirectsAndAJobSurvivesFailover() throws Exception {
        CoordinatorServer a = coordinator();
        await().until(a::isLeader);
        CoordinatorServer b = coordinator();
        assertThat(b.isLeader()).isFalse();

        CoordinatorConnection<ClientService.Client> viaStandby = connect(b);
        ServerInfo info = viaStandby.call(c -> c.hello(new Hello(droverConstants.PROTOCOL_VERSION, "t")));
        assertThat(info.isLeader()).as("connection followed the redirect to the leader").isTrue();
        assertThat(viaStandby.currentEndpoint().toString()).isEqualTo(a.endpoint());

        String sha = upload(viaStandby, "jar bytes".getBytes());
        String jobId = viaStandby.call(c -> c.submit(submission(sha, 3, "key-1"))).getJobId();
        assertThat(viaStandby.call(c -> c.submit(submission(sha, 3, "key-1"))).isDuplicate()).isTrue();
        JobSubmission inAgent = submission(sha, 1, "key-2").setIsolation(JvmIsolation.IN_AGENT)
                .setRequiredLabels(Map.of("gpu", "yes")); // never placed on ag1: only its isolation matters here
        String inAgentJobId = viaStandby.call(c -> c.submit(inAgent)).getJobId();

        CoordinatorConnection<AgentService.Client> agent = connectAgent(a, b);
        CoordinatorConnection<ClientService.Client> client = connect(a, b);
        agent.call(c -> { c.registerAgent(new AgentRegistration("ag1", "localhost", 2, Map.of(),
                droverConstants.PROTOCOL_VERSION, "test")); return null; });
        HeartbeatReply first = agent.call(c -> c.heartbeat(poll("ag1", List.of())));
        assertThat(first.getAssignments()).hasSize(2);
        agent.call(c -> c.heartbeat(poll("ag1", List.of(result(first.getAssignments().get(0))))));

        a.close(); // the leader goes away; b takes over from what ZooKeeper holds
        await().atMost(Duration.ofSeconds(20)).until(b::isLeader);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(client.call(c -> c.getJob(jobId, true, false)).getSucceeded()).isEqualTo(1));

        // The agent re-registers with the new leader, re-reports its running attempt (adopted, not
        // re-run) and gets the one task nobody ran.
        agent.call(c -> { c.registerAgent(new AgentRegistration("ag1", "localhost", 2, Map.of(),
                droverConstants.PROTOCOL_VERSION, "test")); return null; });
        Assignment stillRunning = first.getAssignments().get(1);
        List<Assignment> more = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            HeartbeatRequest hb = poll("ag1", List.of());
            hb.setRunning(List.of(new io.drover.protocol.thrift.RunningAttempt(stillRunning.getAttemptId(),
                    stillRunning.getJobId(), stillRunning.getTask())));
            more.addAll(agent.call(c -> c.heartbeat(hb)).getAssignments());
            assertThat(more).hasSize(1);
        });
        assertThat(more.get(0).getTask()).isNotEqualTo(stillRunning.getTask());
        // An agent reads only the jobs it holds tasks of (see AgentIdentityGuard).
        assertThat(agent.call(c -> c.describeJob(jobId)).getIsolation()).isEqualTo(JvmIsolation.WORKER);
        CoordinatorConnection<AgentService.Client> gpu = connectAgent(a, b);
        gpu.call(c -> { c.registerAgent(new AgentRegistration("gpu1", "localhost", 1, Map.of("gpu", "yes"),
                droverConstants.PROTOCOL_VERSION, "test")); return null; });
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(gpu.call(c -> c.heartbeat(poll("gpu1", List.of()))).getAssignments()).isNotEmpty());
        assertThat(gpu.call(c -> c.describeJob(inAgentJobId)).getIsolation()).as("stored with the job")
                .isEqualTo(JvmIsolation.IN_AGENT);
        agent.call(c -> c.heartbeat(poll("ag1", List.of(result(stillRunning), result(more.get(0))))));
        await().untilAsserted(() -> assertThat(client.call(c -> c.getJob(jobId, false, false)).getState()).isEqualTo("SUCCEEDED"));
    }

    @Test
    void aProcessJobKeepsItsEnvironmentAndWorkingDirectoryAcrossFailover() throws Exception {
        CoordinatorServer a = coordinator();
        await().until(a::isLeader);
        CoordinatorServer b = coordinator();
        CoordinatorConnection<ClientService.Client> client = connect(a, b);
        CoordinatorConnection<AgentService.Client> agent = connectAgent(a, b);
        JobSubmission s = new JobSubmission("p", "alice", "pk", JobKind.PROCESS, 2, List.of("x"), 1, 3, 0, false, 0, Map.of(), 0);
        s.setCommand(List.of("/bin/sh", "-c", "echo $MODE"));
        s.setEnvironment(Map.of("MODE", "fast", "PATH", "/opt/bin:/usr/bin"));
        s.setWorkingDirectory("/data/project");
        String jobId = client.call(c -> c.submit(s)).getJobId();

        a.close();
        await().atMost(Duration.ofSeconds(20)).until(b::isLeader);

        // An agent reads only the jobs it holds tasks of: this one takes one first.
        agent.call(c -> { c.registerAgent(new AgentRegistration("p1", "localhost", 1, Map.of(),
                droverConstants.PROTOCOL_VERSION, "test")); return null; });
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                assertThat(agent.call(c -> c.heartbeat(poll("p1", List.of()))).getAssignments()).isNotEmpty());
        JobDescriptor d = agent.call(c -> c.describeJob(jobId));
        assertThat(d.getCommand()).containsExactly("/bin/sh", "-c", "echo $MODE");
        assertThat(d.getEnvironment()).isEqualTo(Map.of("MODE", "fast", "PATH", "/opt/bin:/usr/bin"));
        assertThat(d.getWorkingDirectory()).isEqualTo("/data/project");
    }

    /**
     * Quotas through the SDK: alice's cap holds while bob takes the free slots, her job says why it waits,
     * the cap survives a failover (a durable fact), and raising it lets the parked agent take her next task.
     */
    @Test
    void anOwnersCapHoldsAcrossFailoverAndARaisedCapTakesEffect() throws Exception {
        CoordinatorServer a = coordinator();
        await().until(a::isLeader);
        CoordinatorServer b = coordinator();
        CoordinatorConnection<ClientService.Client> client = connect(a, b);
        CoordinatorConnection<AgentService.Client> agent = connectAgent(a, b);
        try (io.drover.sdk.DroverClient sdk = io.drover.sdk.DroverClient.connect(a.endpoint() + "," + b.endpoint())) {
            assertThat(sdk.setQuota("alice", 1, null).maxRunning()).isEqualTo(1);
            assertThat(sdk.setQuota("bob", null, 3).weight()).isEqualTo(3);
            assertThatThrownBy(() -> sdk.setQuota("bob", null, 0)).hasMessageContaining("weight");
            String alice = client.call(c -> c.submit(processJob("alice", 3))).getJobId();
            String bob = client.call(c -> c.submit(processJob("bob", 2))).getJobId();
            agent.call(c -> { c.registerAgent(new AgentRegistration("q1", "localhost", 4, Map.of(),
                    droverConstants.PROTOCOL_VERSION, "test")); return null; });
            List<Assignment> running = new ArrayList<>(agent.call(c -> c.heartbeat(poll("q1", List.of()))).getAssignments());
            assertThat(running).extracting(Assignment::getJobId).containsExactlyInAnyOrder(alice, bob, bob);
            io.drover.sdk.QueueWait wait = sdk.job(alice).status(false).placement().queueWait().orElseThrow();
            assertThat(wait.reason()).isEqualTo("QUOTA");
            assertThat(wait.summary()).contains("owner alice is at its quota: 1 running of at most 1");

            a.close(); // the cap is a durable fact: the new leader keeps it
            await().atMost(Duration.ofSeconds(20)).until(b::isLeader);
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                    assertThat(sdk.quotas()).anySatisfy(q -> {
                        assertThat(q.owner()).isEqualTo("alice");
                        assertThat(q.maxRunning()).isEqualTo(1);
                    }));
            agent.call(c -> { c.registerAgent(new AgentRegistration("q1", "localhost", 4, Map.of(),
                    droverConstants.PROTOCOL_VERSION, "test")); return null; });
            HeartbeatRequest again = poll("q1", List.of());
            again.setRunning(running.stream().map(x -> new io.drover.protocol.thrift.RunningAttempt(x.getAttemptId(),
                    x.getJobId(), x.getTask())).toList());
            assertThat(agent.call(c -> c.heartbeat(again)).getAssignments()).as("alice is at her cap").isEmpty();
            assertThat(sdk.job(alice).status(false).placement().queueWait().orElseThrow().reason()).isEqualTo("QUOTA");

            sdk.setQuota("alice", 2, null);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HeartbeatRequest hb = poll("q1", List.of());
                hb.setRunning(again.getRunning());
                assertThat(agent.call(c -> c.heartbeat(hb)).getAssignments()).extracting(Assignment::getJobId)
                        .containsExactly(alice);
            });
            assertThat(sdk.removeQuota("alice").maxRunning()).isEqualTo(2);
            assertThat(sdk.quotas()).filteredOn(q -> q.owner().equals("alice")).singleElement()
                    .satisfies(q -> assertThat(q.explicit()).isFalse());
        }
    }

    private static JobSubmission processJob(String owner, int shards) {
        JobSubmission s = new JobSubmission("q", owner, "quota-" + owner, JobKind.PROCESS, shards, List.of(), 1, 3, 0,
                false, 0, Map.of(), 0);
        s.setCommand(List.of("/bin/true"));
        return s;
    }

    @Test
    void badInputGetsClearErrorsAndTheCoordinatorKeepsServing() throws Exception {
        CoordinatorServer a = coordinator();
        await().until(a::isLeader);
        CoordinatorConnection<ClientService.Client> client = connect(a);
        assertThatThrownBy(() -> client.call(c -> c.submit(new JobSubmission())))
                .isInstanceOf(RequestRefusedException.class).hasMessageContaining("name is required");
        JobSubmission missing = submission("0".repeat(64), 1, "k");
        assertThatThrownBy(() -> client.call(c -> c.submit(missing)))
                .isInstanceOf(RequestRefusedException.class).hasMessageContaining("has not been uploaded");
        String sha = upload(client, new byte[] {1, 2, 3});
        JobSubmission tooMany = submission(sha, 2_000_000, "k2");
        assertThatThrownBy(() -> client.call(c -> c.submit(tooMany)))
                .isInstanceOf(RequestRefusedException.class).hasMessageContaining("shardCount must be 1..1000000");
        assertThatThrownBy(() -> upload(client, "x".getBytes(), "f".repeat(64)))
                .isInstanceOf(RequestRefusedException.class).hasMessageContaining("hash mismatch");

        try (Socket s = new Socket("127.0.0.1", a.port()); OutputStream out = s.getOutputStream()) {
            out.write(new byte[] {0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3, 4, 5}); // an absurd frame size, then junk
            out.flush();
            assertThat(s.getInputStream().read()).as("connection closed").isEqualTo(-1);
        }
        JobSubmission processInAgent = new JobSubmission("p", "alice", "k4", JobKind.PROCESS, 1, List.of(), 1, 3, 0, false, 0,
                Map.of(), 0).setCommand(List.of("true")).setIsolation(JvmIsolation.IN_AGENT);
        assertThatThrownBy(() -> client.call(c -> c.submit(processInAgent)))
                .isInstanceOf(RequestRefusedException.class).hasMessageContaining("IN_AGENT applies to JVM jobs only");
        String k3 = client.call(c -> c.submit(submission(sha, 1, "k3"))).getJobId();
        assertThat(client.call(c -> c.submit(submission(sha, 1, "k3"))).getJobId()).as("a retry").isEqualTo(k3);
        assertThatThrownBy(() -> client.call(c -> c.submit(submission(sha, 2, "k3"))))
                .isInstanceOf(RequestRefusedException.class)
                .hasMessageContaining("idempotency key 'k3' was used for job " + k3 + " with a different spec");
    }

    static JobSubmission submission(String sha, int shards, String key) {
        JobSubmission s = new JobSubmission("t", "alice", key, JobKind.JVM, shards, List.of(), 1, 3, 0, false, 0, Map.of(), 0);
        s.setArtifactSha256(sha);
        s.setEntryClass("x.Job");
        return s;
    }

    static HeartbeatRequest poll(String agent, List<TaskResult> results) {
        return new HeartbeatRequest(agent, results, List.of(), 0, false, 0, droverConstants.PROTOCOL_VERSION);
    }

    static TaskResult result(Assignment a) {
        TaskResult r = new TaskResult(a.getAttemptId(), a.getJobId(), a.getTask(), Outcome.SUCCEEDED, 5);
        r.setValue(ByteBuffer.wrap(new byte[] {(byte) a.getTask()}));
        return r;
    }

    static String upload(CoordinatorConnection<ClientService.Client> c, byte[] data) throws Exception {
        return upload(c, data, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
    }

    static String upload(CoordinatorConnection<ClientService.Client> c, byte[] data, String sha) throws Exception {
        ArtifactStatus st = c.call(x -> x.beginUpload(sha, data.length));
        String chunkSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        c.call(x -> x.uploadChunk(new ArtifactChunk(sha, st.getBytesReceived(), ByteBuffer.wrap(data), chunkSha, data.length)));
        return sha;
    }
}
