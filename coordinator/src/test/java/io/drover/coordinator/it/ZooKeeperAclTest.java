package io.drover.coordinator.it;

import static io.drover.coordinator.it.CoordinatorClusterTest.poll;
import static io.drover.coordinator.it.CoordinatorClusterTest.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.secrets.TestSealer;
import io.drover.coordinator.zk.ZkClients;
import io.drover.coordinator.zk.ZkCredential;
import io.drover.protocol.CoordinatorConnection;
import io.drover.protocol.CoordinatorService;
import io.drover.protocol.Endpoint;
import io.drover.protocol.thrift.AgentRegistration;
import io.drover.protocol.thrift.AgentService;
import io.drover.protocol.thrift.ClientService;
import io.drover.protocol.thrift.HeartbeatReply;
import io.drover.protocol.thrift.JobKind;
import io.drover.protocol.thrift.JobSubmission;
import io.drover.protocol.thrift.droverConstants;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Coordinators with a ZooKeeper digest credential: every znode under the cluster root refuses a
 * session without it (or with a wrong password), a job still runs, the fact log holds no job
 * secret in the clear, and a cluster created without a credential is locked down by its next leader.
 */
class ZooKeeperAclTest {
    private static final String ROOT = "/drover";
    private static final String SECRET = "hunter2-plaintext-value";
    private static final ZkCredential CREDENTIAL = new ZkCredential("drover", "right-password");

    private TestingServer zk;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void startZooKeeper() throws Exception {
        zk = new TestingServer(true);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        zk.close();
    }

    @Test
    void aCredentialedCoordinatorRunsAJobAndNothingUnderItsRootOpensWithoutTheCredential() throws Exception {
        TestSealer sealer = new TestSealer();
        CoordinatorServer coordinator = coordinator(Optional.of(CREDENTIAL), sealer);

        String jobId = runProcessJob(coordinator, "key-1");

        CuratorFramework owner = client(Optional.of(CREDENTIAL));
        List<String> paths = allPaths(owner);
        assertThat(paths).contains(ROOT + "/epoch", ROOT + "/log").anyMatch(p -> p.startsWith(ROOT + "/log/"));
        for (String path : paths) {
            byte[] data = owner.getData().forPath(path);
            assertThat(data == null ? "" : new String(data, StandardCharsets.ISO_8859_1))
                    .as("znode %s holds no secret in the clear", path).doesNotContain(SECRET);
        }
        assertThat(jobId).isNotBlank();

        CuratorFramework anonymous = client(Optional.empty());
        CuratorFramework wrongPassword = client(Optional.of(new ZkCredential("drover", "wrong-password")));
        for (CuratorFramework stranger : List.of(anonymous, wrongPassword)) {
            assertThatThrownBy(() -> stranger.getChildren().forPath(ROOT)).isInstanceOf(KeeperException.NoAuthException.class);
            for (String path : paths) {
                assertThatThrownBy(() -> stranger.getData().forPath(path)).as(path)
                        .isInstanceOf(KeeperException.NoAuthException.class);
            }
            assertThatThrownBy(() -> stranger.setData().forPath(ROOT + "/epoch", new byte[8]))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> stranger.create().forPath(ROOT + "/intruder"))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }
    }

    @Test
    void theNextLeaderOfAClusterCreatedWithoutACredentialSetsTheAclOnEveryZnode() throws Exception {
        CoordinatorServer open = coordinator(Optional.empty(), new TestSealer());
        runProcessJob(open, "key-open");
        CuratorFramework anonymous = client(Optional.empty());
        assertThat(anonymous.getData().forPath(ROOT + "/epoch")).as("open before the upgrade").isNotNull();
        open.close();

        CoordinatorServer locked = coordinator(Optional.of(CREDENTIAL), new TestSealer());
        await().atMost(Duration.ofSeconds(20)).until(locked::isLeader);

        List<String> paths = allPaths(client(Optional.of(CREDENTIAL)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String path : paths) {
                assertThatThrownBy(() -> anonymous.getData().forPath(path)).as(path)
                        .isInstanceOf(KeeperException.NoAuthException.class);
            }
        });
    }

    /** Submits a one-shard process job with a secret and runs it as a raw agent; the agent's descriptor carries the secret. */
    private String runProcessJob(CoordinatorServer coordinator, String key) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(coordinator::isLeader);
        CoordinatorConnection<ClientService.Client> client = connect(CoordinatorService.CLIENT, coordinator);
        CoordinatorConnection<AgentService.Client> agent = connect(CoordinatorService.AGENT, coordinator);
        JobSubmission job = new JobSubmission("acl", "alice", key, JobKind.PROCESS, 1, List.of(), 1, 1, 0, false, 0, Map.of(), 0);
        job.setCommand(List.of("/bin/true"));
        job.setSecretEnvironment(Map.of("API_KEY", SECRET));
        String jobId = client.call(c -> c.submit(job)).getJobId();

        agent.call(c -> { c.registerAgent(new AgentRegistration("ag1", "localhost", 1, Map.of(),
                droverConstants.PROTOCOL_VERSION, "test")); return null; });
        HeartbeatReply reply = agent.call(c -> c.heartbeat(poll("ag1", List.of())));
        assertThat(reply.getAssignments()).hasSize(1);
        assertThat(agent.call(c -> c.describeJob(jobId)).getEnvironment()).containsEntry("API_KEY", SECRET);
        agent.call(c -> c.heartbeat(poll("ag1", List.of(result(reply.getAssignments().get(0))))));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(client.call(c -> c.getJob(jobId, true, false)).getSucceeded()).isEqualTo(1));
        return jobId;
    }

    private CoordinatorServer coordinator(Optional<ZkCredential> credential, TestSealer sealer) {
        CoordinatorConfig config = CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0)
                .withSessionTimeout(Duration.ofSeconds(3));
        CoordinatorServer s = new CoordinatorServer(config, Clock.systemUTC()).secretSealer(sealer);
        credential.ifPresent(s::zooKeeperCredential);
        closeables.add(s);
        return s.start();
    }

    private <C extends org.apache.thrift.TServiceClient> CoordinatorConnection<C> connect(CoordinatorService<C> service,
                                                                                        CoordinatorServer server) {
        CoordinatorConnection<C> c = new CoordinatorConnection<>(service, List.of(Endpoint.parse(server.endpoint())), "test",
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(20));
        closeables.add(c);
        return c;
    }

    /** A plain client: authenticated (through the coordinators' factory) or anonymous. */
    private CuratorFramework client(Optional<ZkCredential> credential) {
        CuratorFramework c = credential.isPresent()
                ? ZkClients.create(zk.getConnectString(), Duration.ofSeconds(5), credential)
                : CuratorFrameworkFactory.newClient(zk.getConnectString(), 5_000, 5_000, new RetryOneTime(100));
        c.start();
        closeables.add(c);
        return c;
    }

    private static List<String> allPaths(CuratorFramework owner) throws Exception {
        List<String> paths = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(List.of(ROOT));
        while (!todo.isEmpty()) {
            String path = todo.pop();
            paths.add(path);
            try {
                for (String child : owner.getChildren().forPath(path)) {
                    todo.push(path + "/" + child);
                }
            } catch (KeeperException.NoNodeException e) {
                paths.remove(path); // an ephemeral latch node of a coordinator that just closed
            }
        }
        return paths;
    }
}
