package io.drover.agent.testing;

import io.drover.testkit.FakeAgentService;
import io.drover.testkit.LoopbackServer;
import static org.awaitility.Awaitility.await;

import io.drover.agent.Agent;
import io.drover.agent.AgentConfig;
import io.drover.agent.AgentLimits;
import io.drover.agent.workers.WorkerSettings;
import io.drover.protocol.Endpoint;
import io.drover.protocol.thrift.TaskResult;
import io.drover.agent.journal.FileResultJournal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An agent connected to a {@link FakeAgentService} over real loopback Thrift; closes both. */
public final class AgentHarness implements AutoCloseable {
    public static final String AGENT_ID = "test-agent";
    public static final Duration WAIT = Duration.ofSeconds(20);

    public final FakeAgentService coordinator = new FakeAgentService();
    public final LoopbackServer server;
    public final Agent agent;
    public final Path workDir;

    public final String agentId;

    private AgentHarness(String agentId, Path workDir, int slots, int queueAhead, WorkerSettings workers, AgentLimits limits, Clock clock) {
        this.agentId = agentId;
        this.workDir = workDir;
        this.server = LoopbackServer.start(coordinator);
        AgentConfig config = AgentConfig.of(agentId, "localhost", List.of(Endpoint.parse(server.endpoint())), slots,
                Map.of("zone", "test"), workDir).withPollWait(Duration.ofSeconds(2)).withWorkers(workers).withLimits(limits)
                .withQueueAhead(queueAhead);
        if (clock == null) {
            this.agent = new Agent(config);
        } else {
            try {
                this.agent = new Agent(config, clock, FileResultJournal.open(workDir.resolve("journal")));
            } catch (IOException e) {
                server.close();
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Starts an agent and waits until it has registered. */
    public static AgentHarness start(Path workDir, int slots) throws InterruptedException {
        return start(AGENT_ID, workDir, slots);
    }

    public static AgentHarness start(String agentId, Path workDir, int slots) throws InterruptedException {
        return start(agentId, workDir, slots, WorkerSettings.defaults());
    }

    public static AgentHarness start(String agentId, Path workDir, int slots, WorkerSettings workers) throws InterruptedException {
        return start(agentId, workDir, slots, workers, null);
    }

    /** An agent whose time (task timing, the offline stop bound) comes from {@code clock}; null: the system's. */
    public static AgentHarness start(String agentId, Path workDir, int slots, Clock clock) throws InterruptedException {
        return start(agentId, workDir, slots, WorkerSettings.defaults(), clock);
    }

    /** An agent with these limits (output cap, retention, kill grace, artifact cache). */
    public static AgentHarness start(Path workDir, int slots, AgentLimits limits) throws InterruptedException {
        return start(AGENT_ID, workDir, slots, WorkerSettings.defaults(), limits, null);
    }

    private static AgentHarness start(String agentId, Path workDir, int slots, WorkerSettings workers, Clock clock)
            throws InterruptedException {
        return start(agentId, workDir, slots, workers, AgentLimits.DEFAULTS, clock);
    }

    private static AgentHarness start(String agentId, Path workDir, int slots, WorkerSettings workers, AgentLimits limits,
                                      Clock clock) throws InterruptedException {
        return start(agentId, workDir, slots, 0, workers, limits, clock);
    }

    /** An agent accepting {@code queueAhead} tasks beyond its slots (the agent's --queue-ahead). */
    public static AgentHarness start(String agentId, Path workDir, int slots, int queueAhead, WorkerSettings workers)
            throws InterruptedException {
        return start(agentId, workDir, slots, queueAhead, workers, AgentLimits.DEFAULTS, null);
    }

    private static AgentHarness start(String agentId, Path workDir, int slots, int queueAhead, WorkerSettings workers,
                                      AgentLimits limits, Clock clock) throws InterruptedException {
        AgentHarness harness = new AgentHarness(agentId, workDir, slots, queueAhead, workers, limits, clock);
        harness.agent.start();
        if (!harness.agent.awaitRegistered(WAIT)) {
            harness.close();
            throw new AssertionError("agent did not register within " + WAIT);
        }
        return harness;
    }

    public TaskResult awaitResult(long attemptId) {
        return await().atMost(WAIT).until(() -> coordinator.result(attemptId), Optional::isPresent).orElseThrow();
    }

    /** The int64-array value of a successful attempt; fails with the attempt's error otherwise. */
    public long[] awaitResultValue(long attemptId) {
        TaskResult r = awaitResult(attemptId);
        if (r.getOutcome() != io.drover.protocol.thrift.Outcome.SUCCEEDED) {
            throw new AssertionError("attempt " + attemptId + " ended " + r.getOutcome() + ": " + r.getError());
        }
        return io.drover.sdk.Codecs.int64Array().decode(r.getValue());
    }

    @Override
    public void close() {
        try {
            agent.close();
        } finally {
            server.close();
        }
    }
}
