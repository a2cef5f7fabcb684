package io.drover.cli.demo;


import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.CoordinatorServer;
import io.drover.coordinator.EmbeddedZooKeeper;
import io.drover.coordinator.store.CoordinatorStore;
import io.drover.protocol.Endpoint;
import io.drover.protocol.tls.ClientSecurity;
import io.drover.protocol.tls.TlsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A whole Drover cluster in one process on loopback: embedded ZooKeeper, one coordinator and
 * {@code agents} agents, each on real sockets. For the demo and the benchmark; production runs
 * each part as its own process.
 */
public final class LocalCluster implements AutoCloseable {
    private final Path dir;
    private final EmbeddedZooKeeper zk;
    private final CoordinatorServer coordinator;
    private final List<Agent> agents = new ArrayList<>();

    public LocalCluster(int agentCount, int slotsPerAgent) {
        this(agentCount, slotsPerAgent, UnaryOperator.identity(), 0);
    }

    /**
     * {@code storeDecorator} wraps the coordinator's store (the benchmark's baseline drops task results);
     * {@code queueAhead} as the agent's {@code --queue-ahead}.
     */
    public LocalCluster(int agentCount, int slotsPerAgent, UnaryOperator<CoordinatorStore> storeDecorator, int queueAhead) {
        this(agentCount, slotsPerAgent, storeDecorator, queueAhead, TlsSettings.insecure(), id -> ClientSecurity.insecure());
    }

    /**
     * As above, the coordinator serving {@code serverTls} and each agent connecting as
     * {@code agentSecurity} says for its id (the benchmark's --tls).
     */
    public LocalCluster(int agentCount, int slotsPerAgent, UnaryOperator<CoordinatorStore> storeDecorator, int queueAhead,
                        TlsSettings serverTls, java.util.function.Function<String, ClientSecurity> agentSecurity) {
        try {
            dir = Files.createTempDirectory("drover-local-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        zk = new EmbeddedZooKeeper(dir.resolve("zk"), 0);
        coordinator = new CoordinatorServer(CoordinatorConfig.defaults(zk.connectString()).withListen("127.0.0.1", 0),
                Clock.systemUTC(), storeDecorator).withTls(serverTls).start();
        for (int i = 1; i <= agentCount; i++) {
            AgentConfig config = new AgentConfig("agent-" + i, "127.0.0.1", List.of(Endpoint.parse(coordinator.endpoint())),
                    slotsPerAgent, Map.of("rack", "r" + (i % 2)), dir.resolve("agent-" + i), Duration.ofSeconds(5),
                    AgentConfig.DEFAULT_REPORT_BATCH_WINDOW).withQueueAhead(queueAhead);
            Agent agent = new Agent(config, agentSecurity.apply(config.agentId()));
            agent.start();
            agents.add(agent);
        }
    }

    public String endpoint() {
        return coordinator.endpoint();
    }

    public CoordinatorServer coordinator() {
        return coordinator;
    }

    public boolean isLeader() {
        return coordinator.isLeader();
    }

    @Override
    public void close() {
        agents.forEach(Agent::close);
        coordinator.close();
        zk.close();
        Directories.deleteTree(dir);
    }
}
