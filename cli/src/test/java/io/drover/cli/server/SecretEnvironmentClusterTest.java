package io.drover.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.cli.client.ClientCommands;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.zk.ZkClients;
import io.drover.coordinator.zk.ZkCredential;
import io.drover.protocol.Endpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code drover submit --secret-env / --secret-env-file} as a user types it, against a real
 * coordinator (ZooKeeper credential, a sealer standing in for SecretBox) and a real agent: the
 * process task sees the values, {@code drover status} and the output show none of them, and no
 * znode of the cluster holds one in the clear.
 */
class SecretEnvironmentClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ZkCredential CREDENTIAL = new ZkCredential("drover", "zk-password");
    private static final String FROM_FILE = "s3cr3t-from-the-file";
    private static final String FROM_FLAG = "pw-given-as-a-flag";

    @TempDir
    Path tmp;
    private TestingServer zk;
    private CoordinatorServer coordinator;
    private Agent agent;
    private StringWriter out;
    private StringWriter err;

    @Command(name = "drover")
    static final class Root {
    }

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.getConnectString()).withListen("127.0.0.1", 0)
                .withSessionTimeout(Duration.ofSeconds(3)), Clock.systemUTC())
                .zooKeeperCredential(CREDENTIAL).secretSealer(new TestSealer()).start();
        await().atMost(WAIT).until(coordinator::isLeader);
        agent = new Agent(AgentConfig.of("secret-agent", "127.0.0.1", List.of(Endpoint.parse(coordinator.endpoint())), 1,
                Map.of(), tmp.resolve("agent")));
        agent.start();
        assertThat(agent.awaitRegistered(WAIT)).isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
        coordinator.close();
        zk.close();
    }

    private int drover(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine root = ClientCommands.addTo(new CommandLine(new Root()));
        root.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--coordinators=" + coordinator.endpoint());
        return root.execute(all.toArray(String[]::new));
    }

    @Test
    void aProcessTaskSeesItsSecretsAndNothingElseShowsOrStoresThem() throws Exception {
        Path secrets = tmp.resolve("job.secrets");
        Files.writeString(secrets, "# for the job\n\nAPI_KEY=" + FROM_FILE + "\n");

        // The task prints a digest of what it saw, so its output (the job's result) carries no secret.
        int code = drover("submit", "--secret-env", "DB_PASSWORD=" + FROM_FLAG, "--secret-env-file", secrets.toString(),
                "--wait", "--plain", "--", "/bin/sh", "-c", "printf %s \"$API_KEY:$DB_PASSWORD\" | sha256sum | cut -c1-64");

        assertThat(code).as(err.toString()).isZero();
        String jobId = out.toString().lines().findFirst().orElseThrow();
        assertThat(out.toString()).contains(sha256(FROM_FILE + ":" + FROM_FLAG));

        assertThat(drover("status", jobId)).as(err.toString()).isZero();
        assertThat(drover("logs", jobId, "--shard", "0")).as(err.toString()).isZero();
        assertThat(drover("jobs")).as(err.toString()).isZero();
        assertThat(out.toString() + err.toString()).doesNotContain(FROM_FILE, FROM_FLAG);

        for (Map.Entry<String, byte[]> znode : znodes().entrySet()) {
            assertThat(new String(znode.getValue(), StandardCharsets.ISO_8859_1)).as(znode.getKey())
                    .doesNotContain(FROM_FILE, FROM_FLAG);
        }
    }

    @Test
    void aRepeatedSecretNameIsRefusedWithoutEchoingAValue() throws Exception {
        Path secrets = tmp.resolve("job.secrets");
        Files.writeString(secrets, "API_KEY=" + FROM_FILE + "\n");

        int code = drover("submit", "--secret-env", "API_KEY=" + FROM_FLAG, "--secret-env-file", secrets.toString(),
                "--", "/bin/true");

        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("API_KEY is given twice").doesNotContain(FROM_FILE, FROM_FLAG);
    }

    /** Every znode under the cluster root and its data, read with the coordinators' credential. */
    private Map<String, byte[]> znodes() throws Exception {
        Map<String, byte[]> all = new java.util.TreeMap<>();
        try (CuratorFramework c = ZkClients.create(zk.getConnectString(), Duration.ofSeconds(5), Optional.of(CREDENTIAL))) {
            c.start();
            Deque<String> todo = new ArrayDeque<>(List.of("/drover"));
            while (!todo.isEmpty()) {
                String path = todo.pop();
                byte[] data = c.getData().forPath(path);
                all.put(path, data == null ? new byte[0] : data);
                c.getChildren().forPath(path).forEach(child -> todo.push(path + "/" + child));
            }
        }
        assertThat(all.keySet()).anyMatch(p -> p.startsWith("/drover/log/"));
        return all;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
